/** Command-line option parsing (node's util.parseArgs) with keratorch's error shape. */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { KeratorchError } from '../backend';

/** A usage error: the CLI prints it with the command's help and exits with status 2. */
export class UsageError extends Error {}

/** The options a command declares: name -> kind, and whether it is required. */
export type OptionSpec = Record<string, { type: 'string' | 'boolean'; required?: boolean; help: string }>;

/**
 * `--name -1` as `--name=-1` for the string options: parseArgs takes a value starting with a dash
 * for an option and refuses it as ambiguous, where a negative number is clearly meant as the value.
 */
function joinNegativeValues(argv: string[], spec: OptionSpec): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2) : undefined;
    const next = argv[i + 1];
    if (name !== undefined && spec[name]?.type === 'string' && next !== undefined && /^-\.?\d/.test(next)) {
      joined.push(`${argv[i]}=${next}`);
      i++;
    } else {
      joined.push(argv[i]);
    }
  }
  return joined;
}

/** Parses `argv` against `spec`; unknown options and missing required ones are usage errors. */
export function parseOptions(command: string, argv: string[], spec: OptionSpec): Record<string, string | boolean | undefined> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: joinNegativeValues(argv, spec),
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

/**
 * What the CLI prints for a failed command: one line, `keratorch <command>: <message>`, for a
 * KeratorchError and for anything else too (a RangeError, a file system error): never a stack trace,
 * unless `withStack` (KERATORCH_DEBUG) asks for it after that line.
 */
export function failureReport(command: string, error: unknown, withStack: boolean): string {
  const message = error instanceof KeratorchError ? error.message
    : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const line = `keratorch ${command}: ${message}`;
  return withStack && error instanceof Error && error.stack ? `${line}\n${error.stack}` : line;
}

/** An integer option within [min, max], or the fallback when absent. */
export function intOption(command: string, name: string, value: unknown, fallback: number, min = 1, max = Infinity): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  // Safe integers only: 1e300 is an integer to Number.isInteger, and no count or seed of that size is meant.
  if (!Number.isSafeInteger(number) || number < min || number > max) {
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

/**
 * Checks before any work that `target` (a `kind`) can be written: its folder exists, is a folder and
 * is writable, and `target` is not something else already (a folder where a file goes, or the
 * reverse). Found only when writing, these would fail after the work, as ENOENT or ENOTDIR.
 * Returns the absolute path.
 */
export function checkOutputPath(command: string, option: string, target: string, kind: 'file' | 'folder'): string {
  const resolved = path.resolve(target);
  const parent = path.dirname(resolved);
  const refuse: (why: string) => never = (why) => {
    throw new KeratorchError(`cannot write --${option} ${JSON.stringify(target)}: ${why}`, 'ERR_ARGUMENT', command);
  };
  const parentStat = statOrUndefined(parent);
  if (parentStat === undefined) refuse(`the folder ${parent} does not exist`);
  if (!parentStat.isDirectory()) refuse(`${parent} is not a folder`);
  try {
    fs.accessSync(parent, fs.constants.W_OK);
  } catch {
    refuse(`the folder ${parent} is not writable`);
  }
  const existing = statOrUndefined(resolved);
  if (existing && kind === 'file' && existing.isDirectory()) refuse(`${resolved} is a folder`);
  if (existing && kind === 'folder' && !existing.isDirectory()) refuse(`${resolved} is a file, not a folder`);
  return resolved;
}

/** The path's fs.Stats, or undefined when nothing is there (or a file is in the way of a folder in it). */
function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}
