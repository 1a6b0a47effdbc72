/**
 * Issue 16's fuzz suite, the short run (`npm run fuzz` is the long one): every function, class,
 * namespace member and public method that lib/index.js exports, the file readers on corrupt and
 * special files, and the CLI's commands, called with seeded bad arguments in bounded child
 * processes (scripts/fuzz-runner.js). No case may crash its process or hang, and every refusal
 * must be a KeratorchError (not a TypeError, a RangeError or a raw Node error, thrown or rejected
 * late); the counts and any failing case are printed. The harness itself is tested first: a crash, a hang, a promise
 * that never settles and a late rejection are each pinned on their own case.
 *
 * Needs lib/, which `npm test`'s set-up builds; without it every test here is skipped, saying why.
 */
import * as fs from 'fs';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { runFuzz, runCaseList, formatCounts, formatFailures, classifyCli } = require('../../scripts/fuzz-runner.js');

const lib = path.resolve(__dirname, '..', '..', 'lib', 'index.js');
const built = fs.existsSync(lib);
const withLib = built ? test : test.skip;
const note = built ? '' : ' (skipped: lib/ not built, run npm run build:ts)';

interface CaseResult {
  target: string;
  outcome: string;
  error?: string;
  late?: string[];
  valid?: boolean;
  expr?: string;
  argv?: string[];
  message?: string;
}

test('a CLI run is read from its exit status and stderr: an uncaught stack trace is not a KeratorchError', () => {
  const trace = ['/x/lib/cli/gen.js:40', '    throw e;', 'RangeError: Invalid array length', '    at gen (/x/lib/cli/gen.js:40:9)'];
  expect(classifyCli({ code: 1, signal: null, timedOut: false, stderr: trace }))
    .toMatchObject({ outcome: 'other', error: 'RangeError: Invalid array length' });
  expect(classifyCli({ code: 1, signal: null, timedOut: false, stderr: ['keratorch gen: --grid must be 8 or more'] }).outcome).toBe('keratorch');
  expect(classifyCli({ code: 2, signal: null, timedOut: false, stderr: ['unknown option --x'] }).outcome).toBe('keratorch');
  expect(classifyCli({ code: 0, signal: null, timedOut: false, stderr: [] }).outcome).toBe('ok');
  expect(classifyCli({ code: null, signal: 'SIGSEGV', timedOut: false, stderr: [] }).outcome).toBe('crash');
  expect(classifyCli({ code: null, signal: null, timedOut: true, stderr: [] }).outcome).toBe('hang');
  expect(classifyCli({ code: 1, signal: null, timedOut: false, stderr: ['something else'] }).outcome).toBe('other');
});

withLib(`the harness pins each crash, hang and stray error on its own case and goes on with the next${note}`, async () => {
  const api = (target: string, expr: string) => ({ group: 'api', target, expr });
  const cases = [
    api('ok', 'k.ones([1])'),
    api('refused', 'k.K.add()'),
    api('crash', "process.kill(process.pid, 'SIGSEGV')"),
    api('after the crash', 'k.ones([1])'),
    api('busy hang', '(() => { for (;;); })()'),
    api('never settles', 'new Promise(() => {})'),
    api('after the hangs', 'k.ones([1])'),
    api('type error', 'null.x'),
    api('late rejection', "void Promise.reject(new Error('late'))"),
    api('own value passed on', "h.thrower('x')()"),
    api('malformed case', ')('),
    { group: 'cli', target: 'cli', argv: ['nope'] },
  ];
  const { results, children } = await runCaseList(cases, { hangMs: 3000 });
  const outcomes = Object.fromEntries((results as CaseResult[]).map((r) => [r.target, r.outcome]));
  expect(outcomes).toEqual({
    ok: 'ok', refused: 'keratorch', crash: 'crash', 'after the crash': 'ok', 'busy hang': 'hang', 'never settles': 'hang',
    'after the hangs': 'ok', 'type error': 'other', 'late rejection': 'ok', 'own value passed on': 'user',
    'malformed case': 'invalid', cli: 'keratorch',
  });
  const byTarget = (target: string) => (results as CaseResult[]).find((r) => r.target === target) as CaseResult;
  expect(byTarget('crash').error).toBe('killed by SIGSEGV');
  expect(byTarget('type error').error).toMatch(/^TypeError: /);
  expect(byTarget('late rejection').late).toEqual([expect.stringMatching(/^unhandled rejection: Error: late/)]);
  // One child for the cases up to the crash, one up to each hang, one for the rest, and the CLI run.
  expect(children).toBe(5);
}, 120_000);

withLib(`the short run (seed 1): no crash, no hang, no error other than a KeratorchError, every case well formed, the tables match lib/${note}`, async () => {
  const report = await runFuzz({ seeds: [1], apiCases: 10000, cliCases: 16 });
  console.log(`${formatCounts(report)}\n\nfailing cases:\n${formatFailures(report)}`);
  const summary = (r: CaseResult) => `${r.target}: ${r.expr ?? r.argv?.join(' ')} -> ${r.error ?? r.message}`;
  const failures = report.failures as CaseResult[];
  expect(report.stale).toEqual([]);
  expect(failures.filter((r) => r.outcome === 'crash').map(summary)).toEqual([]);
  expect(failures.filter((r) => r.outcome === 'hang').map(summary)).toEqual([]);
  expect(failures.filter((r) => r.outcome === 'invalid').map(summary)).toEqual([]);
  // Every refusal is a KeratorchError naming the function: no TypeError, RangeError or raw Node error.
  expect(failures.filter((r) => r.outcome === 'other' || r.late).map(summary)).toEqual([]);
  expect(report.counts.nonKeratorchErrors).toBe(0);
  // A valid call that fails means a stale table: its mutations would test nothing.
  expect((report.validCallsThatFailed as CaseResult[]).map(summary)).toEqual([]);
  // Every case generated (10000 API cases, the seed's file cases, 16 CLI runs) ran and has an outcome.
  expect(report.counts.cases).toBe(report.generated);
  expect(report.generated).toBeGreaterThan(10000 + 16);
}, 600_000);
