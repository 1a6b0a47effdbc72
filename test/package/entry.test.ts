/**
 * The compiled package's two entry points: `require` (lib/index.js) and `import` (lib/index.mjs)
 * both work and share one module instance, hence one addon. Needs `lib/`, which `npm test`'s
 * set-up builds.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');
const built = fs.existsSync(path.join(root, 'lib', 'index.mjs'));
const maybe = built ? test : test.skip;

maybe('require and import load the same module and addon', () => {
  const script = `
    import { createRequire } from 'module';
    import * as esm from ${JSON.stringify(path.join(root, 'lib', 'index.mjs'))};
    const cjs = createRequire(import.meta.url)(${JSON.stringify(path.join(root, 'lib', 'index.js'))});
    const a = esm.K.variable([[1, 2], [3, 4]]);
    const before = cjs.memory().numTensors;
    const b = cjs.K.dot(a, a);
    console.log(JSON.stringify({
      same: esm.K === cjs.K && esm.Tensor === cjs.Tensor,
      counted: cjs.memory().numTensors - before,
      isTensor: b instanceof esm.Tensor,
      value: esm.K.eval(b),
    }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(JSON.parse(out)).toEqual({ same: true, counted: 1, isTensor: true, value: [[7, 10], [15, 22]] });
});

maybe('the ESM entry exports every name of the CommonJS build', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cjsNames = Object.keys(require(path.join(root, 'lib', 'index.js'))).filter((n) => n !== '__esModule');
  const esmText = fs.readFileSync(path.join(root, 'lib', 'index.mjs'), 'utf8');
  for (const name of cjsNames) expect(esmText).toContain(`export const ${name} = cjs.${name};`);
});
