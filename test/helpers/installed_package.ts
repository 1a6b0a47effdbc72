/**
 * keratorch installed as a user installs it: the package packed, then `npm install`ed from the
 * tarball into a fresh project, from the npm registry with an empty npm cache (a warm cache must not
 * hide a dependency the registry would not serve), with only node and sh on PATH (no cmake, no
 * compiler: installing must build nothing). Shared by the package tests.
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const root = path.resolve(__dirname, '..', '..');
// npm's CLI: the one running the tests (npm_execpath), else the one beside node (nodejs.org's
// layout), else Debian's (its nodejs package keeps npm in /usr/share/nodejs).
const npmCandidates = [
  ...(process.env.npm_execpath ? [path.join(path.dirname(process.env.npm_execpath), 'npm-cli.js')] : []),
  path.join(path.dirname(fs.realpathSync(process.execPath)), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  '/usr/share/nodejs/npm/bin/npm-cli.js',
];
export const npmCli = npmCandidates.find((file) => fs.existsSync(file)) ?? npmCandidates[1];
export const builtAddon = path.join(root, 'build', 'Release', 'keratorch.node');
export const prebuildDir = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`);

/** Why the package tests cannot run here (what the set-up has not built), or null. */
export function missingForPackageTests(): string | null {
  const missing = [path.join(root, 'lib', 'index.mjs'), builtAddon, npmCli].filter((f) => !fs.existsSync(f));
  return missing.length ? `missing ${missing.join(', ')} (run npm test, whose set-up builds them)` : null;
}

/** A fresh project with keratorch (and `extra` packages) installed from the packed tarball. */
export interface InstalledApp {
  /** The temporary folder: app/, bin/, the tarball and the npm cache. */
  work: string;
  /** The project folder. */
  app: string;
  /** The installed package's folder. */
  pkg: string;
  /** What `npm install` printed (the install step's lines included). */
  installLog: string;
  /** The user's environment: only node and sh on PATH, none of keratorch's variables. */
  env(extra?: Record<string, string>): NodeJS.ProcessEnv;
  /** Runs node with these arguments in the project. */
  run(args: string[], extra?: Record<string, string>): SpawnSyncReturns<string>;
  /** Like run, but throws with the output unless it exits 0; returns stdout. */
  succeed(args: string[], extra?: Record<string, string>): string;
  /** Removes the temporary folder. */
  remove(): void;
}

/** Packs the checkout and installs the tarball, plus `extra` registry packages, into a fresh project. */
export function installPackage(extra: string[] = []): InstalledApp {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-install-'));
  const bin = path.join(work, 'bin');
  const app = path.join(work, 'app');
  fs.mkdirSync(bin);
  fs.mkdirSync(app);
  for (const tool of ['node', 'sh']) fs.symlinkSync(tool === 'node' ? process.execPath : '/bin/sh', path.join(bin, tool));
  const cache = path.join(work, 'npm-cache');
  const env = (more: Record<string, string> = {}): NodeJS.ProcessEnv => {
    const clean: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (!/^(npm_|KERATORCH_|LIBTORCH$|Torch_DIR$|LD_LIBRARY_PATH$)/i.test(key)) clean[key] = value;
    }
    return { ...clean, PATH: bin, npm_config_cache: cache, ...more };
  };
  const run = (args: string[], more: Record<string, string> = {}) =>
    spawnSync(process.execPath, args, { cwd: app, env: env(more), encoding: 'utf8', timeout: 300000 });
  const succeed = (args: string[], more: Record<string, string> = {}) => {
    const result = run(args, more);
    if (result.status !== 0) throw new Error(`${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
  };
  for (const tool of ['cmake', 'c++', 'g++', 'make']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`], { env: env() }).status === 0) throw new Error(`${tool} is on the user PATH`);
  }
  const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  succeed([npmCli, 'pack', '--ignore-scripts', '--pack-destination', work, root]);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  const installLog = succeed([npmCli, 'install', '--no-audit', '--no-fund', '--foreground-scripts',
    path.join(work, `keratorch-${version}.tgz`), ...extra]);
  return {
    work, app, pkg: path.join(app, 'node_modules', 'keratorch'), installLog, env, run, succeed,
    remove: () => fs.rmSync(work, { recursive: true, force: true }),
  };
}

/**
 * Writes `to` a copy of the addon `from` whose needed library names starting with `name` start with
 * `replacement` instead (the same length, so the ELF stays valid): the dynamic loader then looks for
 * a library that does not exist, as on a machine without it.
 */
export function withMissingLibrary(from: string, to: string, name: string, replacement: string): void {
  if (name.length !== replacement.length) throw new Error('withMissingLibrary: the names must have the same length');
  const bytes = fs.readFileSync(from);
  const find = Buffer.from(name);
  let at = bytes.indexOf(find);
  if (at < 0) throw new Error(`withMissingLibrary: ${from} names no ${name}`);
  for (; at >= 0; at = bytes.indexOf(find, at + 1)) Buffer.from(replacement).copy(bytes, at);
  fs.writeFileSync(to, bytes);
}
