/**
 * The libtorch installations on this machine that a prebuilt addon can run on, and their versions,
 * told from their files without loading them: `$LIBTORCH`, Debian's libtorch-dev, and a Python
 * torch (found with `importlib.util.find_spec`, which does not import it). Shared by the loader
 * (`native.ts`) and `scripts/install.js`, so both pick the same prebuild.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { PrebuildTag } from './addon_files';

/** A libtorch found on this machine. */
export interface FoundTorch {
  /** Its library folder (libtorch.so, libc10.so, ...), resolved. */
  libDir: string;
  /** Its version (`2.13.0+cpu`, `1.13.1`), or null when its files do not tell. */
  version: string | null;
  /** How it was found: `LIBTORCH=<dir>`, `system` (Debian's libtorch-dev) or `python torch (<python>)`. */
  source: string;
  /** Whether it is a CUDA build (it has libtorch_cuda). */
  cuda: boolean;
}

/** Folders where Debian and Ubuntu's libtorch-dev put libtorch. */
const SYSTEM_LIB_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib'];

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/**
 * A libtorch's version from its files: a pip torch's `version.py`, a libtorch archive's
 * `build-version`, or a versioned library name such as Debian's `libtorch_cpu.so.1.13.1`.
 */
export function torchVersionAt(libDir: string): string | null {
  const pip = /__version__\s*=\s*['"]([^'"]+)['"]/.exec(readText(path.join(libDir, '..', 'version.py')) ?? '');
  if (pip) return pip[1];
  const archive = readText(path.join(libDir, '..', 'build-version'))?.trim();
  if (archive) return archive;
  let files: string[] = [];
  try {
    files = fs.readdirSync(libDir);
  } catch {
    return null;
  }
  const versions = files.map((f) => /^libtorch_cpu\.so\.(\d+\.\d+(?:\.\d+)?)$/.exec(f)?.[1]).filter((v): v is string => !!v);
  return versions.sort((a, b) => b.length - a.length)[0] ?? null;
}

/** `major.minor` of a version (`2.13.0+cpu` -> `2.13`). */
export function minorVersion(version: string | null): string | null {
  return version ? (/^(\d+\.\d+)/.exec(version)?.[1] ?? null) : null;
}

function describeAt(libDir: string, source: string): FoundTorch | null {
  if (!fs.existsSync(libDir)) return null;
  const files = fs.readdirSync(libDir);
  if (!files.some((f) => /^libtorch_cpu\.so/.test(f))) return null;
  return {
    libDir: fs.realpathSync(libDir), version: torchVersionAt(libDir), source,
    cuda: files.some((f) => /^libtorch_cuda\.so/.test(f)),
  };
}

/** `$LIBTORCH` (a libtorch folder or a pip torch's site-packages/torch), when set. */
export function torchFromEnv(env: Record<string, string | undefined> = process.env): FoundTorch | null {
  const dir = env.LIBTORCH;
  return dir ? describeAt(path.join(path.resolve(dir), 'lib'), `LIBTORCH=${dir}`) : null;
}

/** Why `$LIBTORCH` cannot be used (it is set, and no libtorch is there), or null. */
export function libtorchEnvProblem(env: Record<string, string | undefined> = process.env): string | null {
  if (!env.LIBTORCH || torchFromEnv(env)) return null;
  return `LIBTORCH=${env.LIBTORCH}: no libtorch there (expected lib/libtorch_cpu.so; for a pip torch, ` +
    'LIBTORCH is its site-packages/torch folder)';
}

/** Debian's (or Ubuntu's) libtorch-dev: versioned libraries in the multiarch folder. */
export function systemTorch(): FoundTorch | null {
  for (const dir of SYSTEM_LIB_DIRS) {
    let files: string[] = [];
    try {
      files = fs.readdirSync(dir);
    } catch {
      continue;
    }
    if (files.some((f) => /^libtorch_cpu\.so\.\d/.test(f))) return describeAt(dir, 'system');
  }
  return null;
}

/** A Python torch, asked of `python3` (and `/usr/bin/python3`) without importing it. */
export function pythonTorches(): FoundTorch[] {
  const found: FoundTorch[] = [];
  const probe = 'import importlib.util, os; s = importlib.util.find_spec("torch"); print(os.path.dirname(s.origin) if s else "")';
  for (const python of ['python3', '/usr/bin/python3']) {
    const result = spawnSync(python, ['-c', probe], { encoding: 'utf8', timeout: 10000 });
    const dir = result.status === 0 ? result.stdout.trim() : '';
    if (!dir) continue;
    const torch = describeAt(path.join(dir, 'lib'), `python torch (${python})`);
    if (torch && !found.some((t) => t.libDir === torch.libDir)) found.push(torch);
  }
  return found;
}

/** `libtorch 2.13.0+cpu (python torch (python3): /path/lib)`: a found libtorch in words. */
export function describeTorch(torch: FoundTorch): string {
  return `libtorch ${torch.version ?? '(version unknown)'}${torch.cuda ? ' with CUDA' : ''} (${torch.source}: ${torch.libDir})`;
}

/** Why a prebuild built against `tag` cannot run on `torch`, or null when it can. */
export function whyPrebuildDoesNotFit(tag: PrebuildTag | null, torch: FoundTorch): string | null {
  if (!tag) return null;
  const built = minorVersion(tag.libtorch);
  const found = minorVersion(torch.version);
  if (built && found && built !== found) return `built against libtorch ${tag.libtorch}, not ${torch.version}`;
  if (tag.cuda && !torch.cuda) return 'built against a CUDA libtorch';
  const missing = (tag.libraries ?? []).filter((name) => /^lib(torch|c10)/.test(name) &&
    !fs.existsSync(path.join(torch.libDir, name)));
  if (missing.length) return `needs ${missing.join(', ')}, which ${torch.libDir} does not have`;
  return null;
}
