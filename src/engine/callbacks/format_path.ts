/** Filling `{epoch:02d}` / `{val_loss:.4f}`-style fields of checkpoint paths, as Python's str.format. */
import { KeratorchError } from '../../backend';

const FIELD = /\{([A-Za-z_][A-Za-z0-9_]*)(?::([^{}]*))?\}/g;
const SPEC = /^(0)?(\d+)?(?:\.(\d+))?([dfeg%])?$/;

function formatNumber(fn: string, value: number, spec: string | undefined, field: string): string {
  if (spec === undefined || spec === '') return String(value);
  const match = SPEC.exec(spec);
  if (!match) {
    throw new KeratorchError(`${fn}: expected a format such as 02d, .4f or .3e for {${field}} but received ` +
      `${JSON.stringify(spec)}`, 'ERR_ARGUMENT', fn);
  }
  const [, zero, width, precision, type] = match;
  const digits = precision === undefined ? 6 : Number(precision);
  let text: string;
  switch (type) {
    case 'd': text = String(Math.trunc(value)); break;
    case 'f': text = value.toFixed(digits); break;
    case '%': text = `${(value * 100).toFixed(digits)}%`; break;
    case 'e': text = value.toExponential(digits).replace(/e([+-])(\d)$/, 'e$10$2'); break;
    case 'g': text = String(Number(value.toPrecision(Math.max(digits, 1)))); break;
    default: text = precision === undefined ? String(value) : String(Number(value.toPrecision(Math.max(digits, 1))));
  }
  const size = width === undefined ? 0 : Number(width);
  if (text.length >= size) return text;
  if (!zero) return text.padStart(size);
  const negative = text.startsWith('-');
  return (negative ? '-' : '') + (negative ? text.slice(1) : text).padStart(size - (negative ? 1 : 0), '0');
}

/** `pattern` with each `{name}` / `{name:spec}` replaced by `epoch` or the log value of that name. */
export function formatPath(fn: string, pattern: string, epoch: number, logs: Record<string, number>): string {
  return pattern.replace(FIELD, (_, name: string, spec: string | undefined) => {
    const value = name === 'epoch' ? epoch : logs[name];
    if (value === undefined) {
      throw new KeratorchError(`${fn}: expected a log key or epoch for the field {${name}} of filepath but received ` +
        `logs with ${['epoch', ...Object.keys(logs)].join(', ')}`, 'ERR_ARGUMENT', fn);
    }
    return formatNumber(fn, value, spec, name);
  });
}
