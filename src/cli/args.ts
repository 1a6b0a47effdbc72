/** Command-line option parsing (node's util.parseArgs) with keratorch's error shape. */
import { parseArgs } from 'util';

/** A usage error: the CLI prints it with the command's help and exits with status 2. */
export class UsageError extends Error {}

/** The options a command declares: name -> kind, and whether it is required. */
export type OptionSpec = Record<string, { type: 'string' | 'boolean'; required?: boolean; help: string }>;

/** Parses `argv` against `spec`; unknown options and missing required ones are usage errors. */
export function parseOptions(command: string, argv: string[], spec: OptionSpec): Record<string, string | boolean | undefined> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: Object.fromEntries(Object.entries(spec).map(([name, s]) => [name, { type: s.type }])),
      allowPositionals: false,
      strict: true,
    }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    throw new UsageError(`keratorch ${command}: ${(error as Error).message}`);
  }
  for (const [name, s] of Object.entries(spec)) {
    if (s.required && values[name] === undefined) throw new UsageError(`keratorch ${command}: --${name} is required`);
  }
  return values;
}

/** An integer option within [min, max], or the fallback when absent. */
export function intOption(command: string, name: string, value: unknown, fallback: number, min = 1, max = Infinity): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new UsageError(`keratorch ${command}: expected an integer ${max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`} ` +
      `for --${name} but received ${JSON.stringify(value)}`);
  }
  return number;
}

/** A positive number option, or the fallback when absent. */
export function numberOption(command: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    throw new UsageError(`keratorch ${command}: expected a positive number for --${name} but received ${JSON.stringify(value)}`);
  }
  return number;
}

/** The help text of a command's options. */
export function describeOptions(spec: OptionSpec): string {
  return Object.entries(spec).map(([name, s]) =>
    `  --${name}${s.type === 'string' ? ' <value>' : ''}`.padEnd(26) + s.help + (s.required ? ' (required)' : '')).join('\n');
}
