/**
 * The published type declarations (lib/**\/*.d.ts) type the whole public API: no `any` anywhere in
 * them, found as the `any` type keyword by TypeScript's parser (so `K.any` and comments don't count).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const lib = path.resolve(__dirname, '..', '..', 'lib');
const built = fs.existsSync(path.join(lib, 'index.d.ts'));

function declarationFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return declarationFiles(file);
    return /\.d\.m?ts$/.test(entry.name) ? [file] : [];
  });
}

/** `file:line: text` for each `any` type in a declaration file. */
function anyTypes(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.AnyKeyword) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      found.push(`${path.relative(lib, file)}:${line + 1}: ${node.parent.getText().slice(0, 100)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

(built ? test : test.skip)('no declaration file in lib/ uses the any type', () => {
  const files = declarationFiles(lib);
  expect(files.length).toBeGreaterThan(50);
  expect(files.flatMap(anyTypes)).toEqual([]);
});
