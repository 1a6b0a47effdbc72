/** numpy-style printing of tensor values. */

const SUMMARY_THRESHOLD = 1000;
const EDGE_ITEMS = 3;

type Scalar = number | boolean;

function formatter(values: Scalar[], dtype: string): (v: Scalar) => string {
  // numpy pads True to False's width in every array, whatever the values (scalars print bare).
  if (dtype === 'bool') return (v) => (v ? ' True' : 'False');
  if (dtype !== 'float32' && dtype !== 'float64') return (v) => String(v);
  const finite = (values as number[]).filter((v) => Number.isFinite(v));
  const magnitudes = finite.map(Math.abs).filter((v) => v > 0);
  const max = magnitudes.length ? Math.max(...magnitudes) : 0;
  const min = magnitudes.length ? Math.min(...magnitudes) : 0;
  const special = (v: number) => (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');
  if (max >= 1e8 || (min > 0 && min < 1e-4) || (min > 0 && max / min > 1e3 && min < 1e-3)) {
    return (v) => (Number.isFinite(v as number) ? (v as number).toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2')
      : special(v as number));
  }
  let decimals = 0;
  for (const v of finite) {
    for (let d = decimals; d <= 4; d++) {
      if (Math.abs(Number(v.toFixed(d)) - v) <= 1e-9 * Math.max(1, Math.abs(v))) break;
      decimals = Math.min(d + 1, 4);
    }
  }
  return (v) => {
    if (!Number.isFinite(v as number)) return special(v as number);
    return decimals === 0 ? `${(v as number).toFixed(0)}.` : (v as number).toFixed(decimals);
  };
}

/** Formats flat values of the given shape like numpy's str(). */
export function formatTensor(values: Scalar[], shape: number[], dtype: string): string {
  const size = values.length;
  const summarize = size > SUMMARY_THRESHOLD;
  const shown = summarize ? visibleValues(values, shape) : values;
  const format = formatter(shown, dtype);
  const width = Math.max(1, ...shown.map((v) => format(v).length));
  const cell = (v: Scalar) => format(v).padStart(width);
  if (shape.length === 0) return format(values[0]).trim();
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const render = (axis: number, offset: number, indent: string): string => {
    const n = shape[axis];
    const indices = summarize && n > 2 * EDGE_ITEMS
      ? [...range(0, EDGE_ITEMS), -1, ...range(n - EDGE_ITEMS, n)]
      : range(0, n);
    if (axis === shape.length - 1) {
      return '[' + indices.map((i) => (i < 0 ? '...' : cell(values[offset + i]))).join(', ') + ']';
    }
    const separator = ',' + '\n'.repeat(shape.length - 1 - axis) + indent + ' ';
    return '[' + indices.map((i) => (i < 0 ? '...' : render(axis + 1, offset + i * strides[axis], indent + ' ')))
      .join(separator) + ']';
  };
  return render(0, 0, '');
}

function range(start: number, end: number): number[] {
  return Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i);
}

// The values a summarized print shows, so widths and precision come from those alone.
function visibleValues(values: Scalar[], shape: number[]): Scalar[] {
  const picked: Scalar[] = [];
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const walk = (axis: number, offset: number) => {
    if (axis === shape.length) {
      picked.push(values[offset]);
      return;
    }
    const n = shape[axis];
    const indices = n > 2 * EDGE_ITEMS ? [...range(0, EDGE_ITEMS), ...range(n - EDGE_ITEMS, n)] : range(0, n);
    for (const i of indices) walk(axis + 1, offset + i * strides[axis]);
  };
  walk(0, 0);
  return picked;
}
