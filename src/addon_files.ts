/**
 * Where keratorch's native addon files live in a package: the source build (cmake-js's output) and
 * the prebuilt binary in prebuildify's layout, `prebuilds/<platform>-<arch>/keratorch.napi.node`,
 * with a JSON sidecar naming the libtorch it was built against. Shared by the loader
 * (`native.ts`), `scripts/prebuild.js` and `scripts/install.js`, so the three agree on names.
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
}

/** The source build's output (cmake-js `--out build`). */
export function sourceBuildFile(root: string = packageRoot): string {
  return path.join(root, 'build', 'Release', 'keratorch.node');
}

/**
 * The prebuilt addon for a platform and architecture, and its sidecar: among the `.node` files in
 * `prebuilds/<platform>-<arch>/`, the one node-gyp-build would pick for this Node (its tag rules:
 * `napi`, `abi`, `libc`...), else the name `npm run prebuild` writes, `keratorch.napi.node`.
 */
export function prebuildFiles(root: string = packageRoot, target = `${process.platform}-${process.arch}`):
  { addon: string; tag: string } {
  const folder = path.join(root, 'prebuilds', target);
  let files: string[] = [];
  try {
    files = fs.readdirSync(folder);
  } catch {
    // no prebuilds for this platform
  }
  const matches = files.map((file) => nodeGypBuild.parseTags(file))
    .filter(nodeGypBuild.matchTags('node', process.versions.modules))
    .filter((tags): tags is NonNullable<typeof tags> => tags !== undefined)
    .sort(nodeGypBuild.compareTags('node'));
  const addon = path.join(folder, matches[0]?.file ?? 'keratorch.napi.node');
  return { addon, tag: tagFileOf(addon) };
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
  return `libtorch ${tag.libtorch} (${[tag.cuda ? 'CUDA' : 'CPU', tag.systemPackage].filter(Boolean).join(', ')})`;
}
