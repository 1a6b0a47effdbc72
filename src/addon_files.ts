/**
 * Where keratorch's native addon files live in a package: the source build (cmake-js's output) and
 * the prebuilt binaries in prebuildify's layout, `prebuilds/<platform>-<arch>/keratorch*.napi.node`
 * (one per libtorch), each with a JSON sidecar naming the libtorch it was built against. Shared by
 * the loader (`native.ts`), `scripts/prebuild.js` and `scripts/install.js`, so they agree on names.
 */
import * as fs from 'fs';
import * as path from 'path';
import nodeGypBuild = require('node-gyp-build');

/** The package's root folder (this file is `src/` or `lib/` one level below it). */
export const packageRoot = path.resolve(__dirname, '..');

/** What a prebuilt addon was built against, from its sidecar `keratorch.napi.json`. */
export interface PrebuildTag {
  /** libtorch's version, e.g. `1.13.1`. */
  libtorch: string;
  /** Whether libtorch had CUDA. */
  cuda: boolean;
  /** How the build found libtorch (e.g. `system`, `LIBTORCH`). */
  torchSource: string;
  /** libtorch's library folder at build time (the addon's run path). */
  torchLibDir: string;
  /** `process.platform`-`process.arch` of the build. */
  target: string;
  /** The system package that provided libtorch, e.g. `libtorch-dev 1.13.1+dfsg-4`, when known. */
  systemPackage?: string;
  /** The libtorch libraries the addon needs by name (`libtorch_cpu.so.1.13` for Debian's, `libtorch_cpu.so`
   * for pip's): a libtorch that has these files and the same major.minor version can run it. */
  libraries?: string[];
}

/** One prebuilt addon and its sidecar. */
export interface Prebuild {
  addon: string;
  tag: PrebuildTag | null;
}

/** The source build's output (cmake-js `--out build`). */
export function sourceBuildFile(root: string = packageRoot): string {
  return path.join(root, 'build', 'Release', 'keratorch.node');
}

/**
 * Every prebuilt addon for a platform this Node can load (node-gyp-build's tag rules), with its
 * sidecar: `keratorch.napi.node` is built against the system's libtorch (Debian's libtorch-dev),
 * `keratorch.torch<major.minor>.napi.node` against a pip torch of that version.
 */
export function prebuildList(root: string = packageRoot, target = `${process.platform}-${process.arch}`): Prebuild[] {
  const folder = path.join(root, 'prebuilds', target);
  let files: string[] = [];
  try {
    files = fs.readdirSync(folder);
  } catch {
    return [];
  }
  return files.map((file) => nodeGypBuild.parseTags(file))
    .filter(nodeGypBuild.matchTags('node', process.versions.modules))
    .filter((tags): tags is NonNullable<typeof tags> => tags !== undefined)
    .map((tags) => path.join(folder, tags.file))
    .sort()
    .map((addon) => ({ addon, tag: readPrebuildTag(tagFileOf(addon)) }));
}

/** The prebuild file name for an addon built against a libtorch: see {@link prebuildList}. */
export function prebuildFileFor(root: string, tag: PrebuildTag): string {
  const minor = /^(\d+\.\d+)/.exec(tag.libtorch)?.[1] ?? tag.libtorch;
  const name = tag.torchSource === 'system' ? 'keratorch.napi.node' : `keratorch.torch${minor}${tag.cuda ? '-cuda' : ''}.napi.node`;
  return path.join(root, 'prebuilds', tag.target, name);
}

/** The sidecar that describes an addon file: the same name with `.json` for `.node`. */
export function tagFileOf(addon: string): string {
  return addon.replace(/\.node$/, '') + '.json';
}

/** The sidecar of a prebuilt addon, or null when it is missing or unreadable. */
export function readPrebuildTag(tagFile: string): PrebuildTag | null {
  try {
    return JSON.parse(fs.readFileSync(tagFile, 'utf8')) as PrebuildTag;
  } catch {
    return null;
  }
}

/** `libtorch 1.13.0 (CPU, libtorch-dev 1.13.1+dfsg-4)`: a tag in words. */
export function describeTag(tag: PrebuildTag): string {
  const origin = tag.systemPackage ?? (tag.torchSource === 'system' ? 'system' : 'pip torch or a libtorch archive');
  return `libtorch ${tag.libtorch} (${[tag.cuda ? 'CUDA' : 'CPU', origin].join(', ')})`;
}

/** The source build's list of the libtorch and CUDA libraries it resolved (cmake/CheckLinkedTorch.cmake). */
export function linkedLibrariesOf(addon: string): { name: string; path: string }[] {
  try {
    return JSON.parse(fs.readFileSync(path.join(path.dirname(addon), 'keratorch.libs.json'), 'utf8')) as { name: string; path: string }[];
  } catch {
    return [];
  }
}
