/** The parts of node-gyp-build (no published types) the loader uses to pick a prebuilt addon. */
declare module 'node-gyp-build' {
  /** What a prebuild's file name says, e.g. `keratorch.napi.node` -> { napi: true }. */
  interface PrebuildTags {
    file: string;
    specificity: number;
    runtime?: string;
    napi?: boolean;
    abi?: string;
    libc?: string;
  }
  interface NodeGypBuild {
    (dir: string): unknown;
    path(dir: string): string;
    parseTags(file: string): PrebuildTags | undefined;
    matchTags(runtime: string, abi: string): (tags: PrebuildTags | undefined) => boolean;
    compareTags(runtime: string): (a: PrebuildTags, b: PrebuildTags) => number;
  }
  const nodeGypBuild: NodeGypBuild;
  export = nodeGypBuild;
}
