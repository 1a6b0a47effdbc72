/**
 * The public types give exact results without casts (issue 19): overloads.check.ts compiles with
 * `tsc --noEmit --strict` (its Equal checks fail on a union, its @ts-expect-error lines on a wrong use
 * that is accepted), and holds no cast, so it cannot pass by asserting its way through.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const root = path.resolve(__dirname, '..', '..');
const checkFile = path.join(__dirname, 'overloads.check.ts');

test('overloads.check.ts compiles with tsc --noEmit --strict', () => {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'commonjs',
    '--moduleResolution', 'node', '--types', 'node', '--esModuleInterop', '--skipLibCheck',
    path.join(root, 'src', 'types', 'node-gyp-build.d.ts'), checkFile], { cwd: root, encoding: 'utf8' });
  expect({ status: result.status, output: `${result.stdout}${result.stderr}` }).toEqual({ status: 0, output: '' });
}, 120000);

test('overloads.check.ts has no casts and proves wrong uses are refused', () => {
  const text = fs.readFileSync(checkFile, 'utf8');
  const source = ts.createSourceFile(checkFile, text, ts.ScriptTarget.Latest, true);
  const casts: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node) ||
      ts.isSatisfiesExpression(node)) {
      casts.push(node.getText());
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  expect(casts).toEqual([]);
  expect(text.match(/^\s*\/\/ @ts-expect-error /gm)?.length).toBeGreaterThanOrEqual(3);
  expect(text).not.toMatch(/@ts-ignore|@ts-nocheck/);
});
