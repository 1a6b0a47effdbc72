/**
 * TypeScript consumers of the installed package compile with `tsc --strict` on TypeScript 5 and 7,
 * as ESM and as CommonJS, with nothing the README does not say:
 *  - keratorch's own types need no Node type definitions (`types: []`, no @types/node);
 *  - code that also uses Node's modules (the README's consumer) adds @types/node, and on
 *    TypeScript 7 `"types": ["node"]`, as the README's install section says.
 * Then the compiled consumers run. The packages come from the registry with an empty npm cache.
 */
import * as fs from 'fs';
import * as path from 'path';
import { InstalledApp, installPackage, missingForPackageTests, root } from '../helpers/installed_package';

const missing = missingForPackageTests();
if (missing) console.warn(`TypeScript consumer tests skipped: ${missing}`);
const run = missing ? test.skip : test;

// The TypeScript versions a consumer may have: the one keratorch builds with, and TypeScript 7.
const typescripts = {
  5: (JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'typescript', 'package.json'), 'utf8')) as { version: string }).version,
  7: '7.0.2',
};
const typesNode = (JSON.parse(fs.readFileSync(path.join(root, 'node_modules', '@types', 'node', 'package.json'), 'utf8')) as
  { version: string }).version;

let installed: InstalledApp;

beforeAll(() => {
  if (missing) return;
  installed = installPackage([`typescript@${typescripts[5]}`, `typescript7@npm:typescript@${typescripts[7]}`, `@types/node@${typesNode}`]);
  const write = (name: string, text: string) => fs.writeFileSync(path.join(installed.app, name), text);
  write('readme.mts', readmeConsumer());
  // Only keratorch: no Node module imported, so no Node types needed.
  const plain = `
import { K, Sequential, Dense, tensor, type Tensor } from 'keratorch';
const a: Tensor = K.variable([[1, 2], [3, 4]]);
const model = new Sequential([new Dense({ units: 2, inputShape: [2], kernelInitializer: 'ones', useBias: false })]);
const y = model.predict(tensor([[1, 1]])) as Tensor;
console.log(JSON.stringify({ dot: K.eval(K.dot(a, a)), y: y.array() }));
`;
  write('plain.mts', plain);
  write('plain.cts', plain);
  // Typed against Node too (a server's code).
  const typed = `
import * as path from 'path';
import { K, Model, loadPlanner, type PlanResult } from 'keratorch';
const dir: string = path.dirname(require.resolve('keratorch/models/vin-8x8/model.json'));
const planner = loadPlanner(dir);
const model: Model = planner.model;
const obstacles: number[][] = Array.from({ length: 8 }, (_, i) =>
  Array.from({ length: 8 }, (_, j) => (i % 7 === 0 || j % 7 === 0 ? 1 : 0)));
const plan: PlanResult = planner.plan({ obstacles, start: [1, 1], goal: [6, 6] });
console.log(JSON.stringify({ layers: model.layers.length, reached: plan.reached, sum: K.eval(K.sum(K.ones([2, 2]))) }));
`;
  write('typed.cts', typed);
}, 300000);

afterAll(() => installed?.remove());

/** The README install section's ESM consumer (the ```ts block after `## Install`). */
function readmeConsumer(): string {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const block = /## Install\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md: no ```ts block in the Install section');
  return block[1];
}

function tsc(major: 5 | 7, config: object, name: string): void {
  const file = path.join(installed.app, `${name}.tsconfig.json`);
  fs.writeFileSync(file, JSON.stringify(config));
  const bin = path.join(installed.app, 'node_modules', major === 5 ? 'typescript' : 'typescript7', 'bin', 'tsc');
  installed.succeed([bin, '-p', file]);
}

const strict = { strict: true, target: 'es2022', lib: ['es2022', 'dom'] };

describe.each([5, 7] as const)('TypeScript %i', (major) => {
  run('keratorch alone needs no Node types: ESM and CommonJS (nodenext), and a bundler', () => {
    const outDir = `out-plain-${major}`;
    tsc(major, { compilerOptions: { ...strict, types: [], module: 'nodenext', moduleResolution: 'nodenext', outDir },
      files: ['plain.mts', 'plain.cts'] }, `plain-${major}`);
    tsc(major, { compilerOptions: { ...strict, types: [], module: 'esnext', moduleResolution: 'bundler', noEmit: true },
      files: ['plain.mts'] }, `plain-bundler-${major}`);
    for (const out of ['plain.mjs', 'plain.cjs']) {
      expect(JSON.parse(installed.succeed([path.join(outDir, out)]))).toEqual({ dot: [[7, 10], [15, 22]], y: [[2, 2]] });
    }
  });

  run('with Node\'s modules too: the README consumer (ESM) and a typed CommonJS one, with @types/node as the README says', () => {
    const outDir = `out-node-${major}`;
    tsc(major, { compilerOptions: { ...strict, types: ['node'], module: 'nodenext', moduleResolution: 'nodenext', outDir },
      files: ['readme.mts', 'typed.cts'] }, `node-${major}`);
    expect(JSON.parse(installed.succeed([path.join(outDir, 'typed.cjs')]))).toEqual({ layers: 7, reached: true, sum: 4 });
    const readmeOut = installed.succeed([path.join(outDir, 'readme.mjs')]);
    expect(readmeOut).toContain('[ [ 7, 10 ], [ 15, 22 ] ]');
    expect(readmeOut).toMatch(/path: \[[\s\S]*\[ 1, 1 \][\s\S]*\[ 6, 6 \]\s*\][\s\S]*reached: true/);
  });
});
