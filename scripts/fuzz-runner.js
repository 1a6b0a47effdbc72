'use strict';
// The fuzz suite's runner (issue 16): generates API, file and CLI cases from seeds, runs them in
// bounded child processes and counts what came out: crashes (a child killed by a signal, or gone
// mid-case), hangs (a case silent for `hangMs`), errors that are not KeratorchErrors, KeratorchErrors,
// and successes. `npm run fuzz` (scripts/fuzz.js) and test/fuzz/fuzz.test.ts call runFuzz.
const fs = require('fs');
const os = require('os');
const path = require('path');
const readline = require('readline');
const { spawn, spawnSync } = require('child_process');
const { generateApiCases, staleNames, SKIP } = require('./fuzz-cases');
const { prepareFileCases } = require('./fuzz-files');
const { generateCliCases } = require('./fuzz-cli');

const ROOT = path.resolve(__dirname, '..');
const CHILD = path.join(__dirname, 'fuzz-child.js');
const CLI_MAIN = path.join(ROOT, 'lib', 'cli', 'main.js');
const TAIL_LINES = 20;
const START_RETRIES = 3;
const START_RETRY_MS = 20_000;

const DEFAULTS = {
  seeds: [1], // each seed's cases are run in full before the next seed's
  seconds: Infinity, // no new case starts after this (the running ones finish or are stopped)
  apiCases: 2000, // per seed
  fileCases: Infinity, // per seed; a seeded sample when fewer than the seed makes
  cliCases: 12, // per seed
  jobs: 1, // children at once
  casesPerChild: 400,
  hangMs: 10_000,
  startupMs: 60_000, // loading libtorch on a busy machine
  memoryMb: 4096, // address space of each child (prlimit --as), and V8's old space a quarter of it
  keep: false, // keep the temporary folder (the file cases' files) for reproductions
  log: () => {},
};

const available = (tool) => spawnSync(tool, ['--version']).status === 0;
const PRLIMIT = available('prlimit');
const SETPRIV = available('setpriv');

/**
 * `node args` bounded: an address-space limit (prlimit) and V8's heap limit, and SIGKILL when the
 * runner dies (setpriv --pdeathsig), so that no case outlives a killed run, not even one blocked
 * on a FIFO. Both tools exec in place: the runner sees node's own exit status and signal.
 */
function boundedNode(args, memoryMb) {
  // A 1 MiB young generation collects often, so that tensor finalizers run amid failing calls (issue 16's SIGTRAP).
  const command = [process.execPath, `--max-old-space-size=${Math.floor(memoryMb / 4)}`, '--max-semi-space-size=1', ...args];
  if (PRLIMIT) command.unshift('prlimit', `--as=${memoryMb * 2 ** 20}`);
  if (SETPRIV) command.unshift('setpriv', '--pdeathsig', 'SIGKILL');
  return [command[0], command.slice(1)];
}

/** Drains a stream, keeping its last lines (what a crash printed). */
function tail(stream) {
  const lines = [];
  readline.createInterface({ input: stream }).on('line', (line) => {
    lines.push(line.slice(0, 500));
    if (lines.length > TAIL_LINES) lines.shift();
  });
  return lines;
}

/**
 * Runs one fuzz child; `onMessage` sees each JSON line of its fd 3. Resolves with how it ended.
 * The watchdog kills it (SIGKILL) after `silenceMs()` ms without a line.
 */
function runChild(args, { cwd, env, memoryMb, silenceMs, onMessage }) {
  return new Promise((resolve) => {
    const [command, argv] = boundedNode([CHILD, ...args], memoryMb);
    const child = spawn(command, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    tail(child.stdout); // chatter (progress bars); drained so that the child never blocks on it
    const stderr = tail(child.stderr);
    let silent = false;
    let stopped = false;
    let timer;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        silent = true;
        child.kill('SIGKILL');
      }, silenceMs());
    };
    const stop = () => {
      stopped = true;
      child.kill('SIGKILL');
    };
    arm();
    readline.createInterface({ input: child.stdio[3] }).on('line', (line) => {
      let message;
      try {
        message = JSON.parse(line);
      } catch {
        message = null;
      }
      if (message) onMessage(message, stop);
      arm(); // after onMessage: the limit depends on whether a case is running now
    });
    child.on('error', (error) => stderr.push(error.message));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, silent, stopped, stderr });
    });
  });
}

/** Lists the targets in lib/ (and writes the valid files) with a `list` child. */
async function listTargets(dir, options) {
  let listed;
  const ended = await runChild(['list', dir], { cwd: dir, env: childEnv(dir), memoryMb: options.memoryMb,
    silenceMs: () => options.startupMs, onMessage: (m) => { if (m.e === 'list') listed = m; } });
  if (!listed) {
    throw new Error(`fuzz: the list child ended (${ended.signal ?? `exit ${ended.code}`}) without listing targets:\n${ended.stderr.join('\n')}`);
  }
  return listed;
}

function childEnv(dir) {
  return { ...process.env, KERATORCH_FUZZ_DIR: dir };
}

/**
 * Runs cases[from..to) in as many children as it takes: after a crash or hang, a fresh child goes
 * on with the next case. Records each outcome in `results`.
 */
async function runSlice(casesFile, cases, from, to, results, ctx) {
  let next = from;
  let failedStarts = 0;
  while (next < to && !ctx.timeUp()) {
    let running = null;
    let lastEnded = null;
    let done = false;
    ctx.children++;
    const ended = await runChild(['run', casesFile, String(next), String(to)], {
      cwd: ctx.cwd, env: childEnv(ctx.dir), memoryMb: ctx.memoryMb,
      silenceMs: () => (running === null && lastEnded === null ? ctx.startupMs : ctx.hangMs),
      onMessage: (m, stop) => {
        if (m.e === 'start') {
          running = m.i;
        } else if (m.e === 'end') {
          const { e, i, ...result } = m;
          results[i] = { ...results[i], ...result };
          running = null;
          lastEnded = i;
          if (ctx.timeUp()) stop();
        } else if (m.e === 'late') {
          const record = results[m.i] ?? {};
          record.late = [...(record.late ?? []), m.error];
          results[m.i] = record;
        } else if (m.e === 'done') {
          done = true;
        }
      },
    });
    if (ended.stopped) {
      next = lastEnded === null ? next : lastEnded + 1;
      break;
    }
    if (done) {
      next = to;
      continue;
    }
    const culprit = running ?? lastEnded;
    if (culprit === null) {
      // lib/ may be being rebuilt (a missing module, an addon older than lib): wait, then try again.
      if (++failedStarts <= START_RETRIES) {
        await new Promise((resolve) => setTimeout(resolve, START_RETRY_MS));
        continue;
      }
      throw new Error(`fuzz: a child ended (${ended.silent ? 'silent' : ended.signal ?? `exit ${ended.code}`}) before running a case:\n${ended.stderr.join('\n')}`);
    }
    failedStarts = 0;
    const after = running === null ? ' after the case returned' : '';
    results[culprit] = {
      ...results[culprit],
      outcome: ended.silent ? 'hang' : 'crash',
      error: ended.silent ? `no outcome after ${ctx.hangMs / 1000} s${after}` : `${ended.signal ? `killed by ${ended.signal}` : `exit ${ended.code}`}${after}`,
      stderrTail: ended.stderr.slice(-8),
    };
    next = culprit + 1;
  }
}

/** ok, usage/keratorch (a refusal the CLI explains), other (an uncaught stack trace), crash, hang. */
function classifyCli({ code, signal, timedOut, stderr }) {
  if (timedOut) return { outcome: 'hang', error: 'no exit within the hang limit' };
  if (signal) return { outcome: 'crash', error: `killed by ${signal}`, stderrTail: stderr.slice(-8) };
  const trace = stderr.findIndex((line) => /^\s+at .+/.test(line));
  if (trace >= 0) {
    const thrown = stderr.slice(0, trace).reverse().find((line) => /\w*(Error|Exception)\b/.test(line)) ?? stderr[trace - 1] ?? '';
    return { outcome: 'other', error: thrown.trim().slice(0, 300), where: stderr[trace].trim().slice(0, 200) };
  }
  if (code === 0) return { outcome: 'ok' };
  // Progress lines may come first; the CLI's own refusal is the line naming the command.
  const refusal = stderr.find((line) => /^keratorch \w+: /.test(line));
  if (code === 1 && refusal) return { outcome: 'keratorch', code: 'CLI', message: refusal.slice(0, 300) };
  if (code === 2) return { outcome: 'keratorch', code: 'USAGE', message: (stderr.find((line) => line.trim() !== '') ?? '').slice(0, 300) };
  return { outcome: 'other', error: `exit ${code}: ${stderr.filter((line) => line.trim() !== '').slice(-1)[0] ?? ''}`.slice(0, 300) };
}

function runCliCase(testCase, ctx) {
  return new Promise((resolve) => {
    const [command, argv] = boundedNode([CLI_MAIN, ...testCase.argv], ctx.memoryMb);
    const started = Date.now();
    const child = spawn(command, argv, { cwd: ctx.cliDir, stdio: ['ignore', 'pipe', 'pipe'] });
    tail(child.stdout);
    const stderr = [];
    readline.createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line.slice(0, 500)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, ctx.hangMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      ctx.children++;
      resolve({ ...classifyCli({ code, signal: timedOut ? null : signal, timedOut, stderr }), ms: Date.now() - started });
    });
  });
}

/** A seeded sample of `count` of `cases`, in their order (all of them when count is larger). */
function sample(cases, count, seed) {
  if (!(count < cases.length)) return cases;
  const picked = cases.map((c, i) => ({ i, key: Math.sin(seed * 9973 + i * 7919) })).sort((a, b) => a.key - b.key).slice(0, count);
  return picked.sort((a, b) => a.i - b.i).map(({ i }) => cases[i]);
}

const NON_KERATORCH = new Set(['other', 'invalid']);

/** The counts the issue asks for, from the outcomes of the cases run. */
function countOutcomes(results) {
  const counts = { cases: 0, crashes: 0, hangs: 0, nonKeratorchErrors: 0, keratorchErrors: 0, userErrorsPassedOn: 0, successes: 0, invalidCases: 0 };
  const errorCodes = {};
  for (const r of results) {
    if (!r || !r.outcome) continue;
    counts.cases++;
    if (r.outcome === 'crash') counts.crashes++;
    else if (r.outcome === 'hang') counts.hangs++;
    else if (r.outcome === 'invalid') counts.invalidCases++;
    else if (r.outcome === 'other' || r.late) counts.nonKeratorchErrors++;
    else if (r.outcome === 'keratorch') {
      counts.keratorchErrors++;
      errorCodes[r.code] = (errorCodes[r.code] ?? 0) + 1;
    } else if (r.outcome === 'user') counts.userErrorsPassedOn++;
    else counts.successes++;
  }
  return { counts, errorCodes };
}

/** The one-line reproduction of a case. */
function reproduction(r, dir) {
  if (r.group === 'cli') {
    const quote = (arg) => (/^[\w./=:-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`);
    return `(cd ${dir}/cli && node ${CLI_MAIN} ${r.argv.map(quote).join(' ')})`;
  }
  const where = r.group === 'file' ? `, '${dir}'` : '';
  return `node -e "const k = require('./lib'), h = require('./scripts/fuzz-helpers').helpers(k${where}); ${r.expr}"`;
}

/** The temporary folder of a run, and what its children share: limits, counters, the deadline. */
function makeContext(options, deadline) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keratorch-fuzz-'));
  const ctx = {
    dir, cwd: path.join(dir, 'cwd', 'here'), cliDir: path.join(dir, 'cli'), memoryMb: options.memoryMb,
    hangMs: options.hangMs, startupMs: options.startupMs, children: 0, timeUp: () => Date.now() > deadline,
  };
  // Stray writes of fuzzed paths ('../x', 'abc') land two levels inside the temporary folder.
  fs.mkdirSync(ctx.cwd, { recursive: true });
  fs.mkdirSync(ctx.cliDir, { recursive: true });
  return ctx;
}

/**
 * Runs `cases` (expressions; `argv` for CLI cases) `jobs` children at a time: slices of
 * `casesPerChild` expression cases (one child each, more after a crash or hang), then each CLI
 * case as its own process. Resolves with the cases and their outcomes, in order.
 */
async function runInChildren(cases, ctx, { jobs, casesPerChild }, name = 'cases') {
  const expressions = cases.filter((c) => c.group !== 'cli');
  const commands = cases.filter((c) => c.group === 'cli');
  const casesFile = path.join(ctx.dir, `${name}.json`);
  fs.writeFileSync(casesFile, JSON.stringify(expressions));
  const results = expressions.map((c) => ({ ...c }));
  const cliResults = commands.map((c) => ({ ...c }));
  const items = [];
  for (let from = 0; from < expressions.length; from += casesPerChild) items.push({ from, to: Math.min(expressions.length, from + casesPerChild) });
  commands.forEach((_, i) => items.push({ cli: i }));
  const worker = async () => {
    while (items.length > 0 && !ctx.timeUp()) {
      const item = items.shift();
      if (item.cli === undefined) await runSlice(casesFile, expressions, item.from, item.to, results, ctx);
      else cliResults[item.cli] = { ...cliResults[item.cli], ...(await runCliCase(commands[item.cli], ctx)) };
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  return [...results, ...cliResults];
}

/**
 * Runs hand-made cases ({ group, target, expr } or { group: 'cli', argv }) with the fuzz suite's
 * children and limits; resolves with each case and its outcome. The harness's own test uses it.
 */
async function runCaseList(cases, userOptions = {}) {
  const options = { ...DEFAULTS, ...userOptions };
  const ctx = makeContext(options, Date.now() + options.seconds * 1000);
  try {
    return { results: await runInChildren(cases, ctx, options), children: ctx.children };
  } finally {
    if (!options.keep) fs.rmSync(ctx.dir, { recursive: true, force: true });
  }
}

/**
 * Runs the fuzz suite; resolves with the report: counts, KeratorchError codes, every failing case
 * (crash, hang, non-KeratorchError, invalid case) with its reproduction, valid calls that failed,
 * stale table entries, and what ran (seeds, children, seconds).
 */
async function runFuzz(userOptions = {}) {
  const options = { ...DEFAULTS, ...userOptions };
  const started = Date.now();
  const ctx = makeContext(options, started + options.seconds * 1000);
  const { dir } = ctx;
  const all = [];
  let listed;
  try {
    listed = await listTargets(dir, options);
    ctx.children++;
    options.log(`fuzz: ${listed.targets.length} targets in lib/ (${listed.skipped.length} skipped), folder ${dir}`);
    for (const seed of options.seeds) {
      if (ctx.timeUp()) break;
      const cases = [
        ...generateApiCases(listed.targets, seed, options.apiCases),
        ...sample(prepareFileCases(dir, seed), options.fileCases, seed),
        ...generateCliCases(dir, seed, options.cliCases),
      ].map((c, i) => ({ ...c, seed, id: `${seed}:${i}` }));
      all.push(...(await runInChildren(cases, ctx, options, `cases-${seed}`)));
      options.log(`fuzz: seed ${seed} done, ${countOutcomes(all).counts.cases} cases so far, ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  } finally {
    if (!options.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
  const ran = all.filter((r) => r.outcome);
  const { counts, errorCodes } = countOutcomes(ran);
  const failing = (r) => ['crash', 'hang', 'other', 'invalid'].includes(r.outcome) || r.late;
  const withRepro = (r) => ({ ...r, repro: reproduction(r, dir) });
  return {
    date: new Date(started).toISOString(),
    seeds: [...new Set(ran.map((r) => r.seed))],
    seconds: Number(((Date.now() - started) / 1000).toFixed(1)),
    children: ctx.children,
    folder: options.keep ? dir : null,
    generated: all.length, // more than counts.cases only when --seconds stopped the run
    targets: listed.targets.length,
    skipped: Object.fromEntries(listed.skipped.map((name) => [name, SKIP[name]])),
    stale: staleNames(listed.targets, listed.skipped),
    counts,
    errorCodes,
    failures: ran.filter(failing).map(withRepro),
    // What ERR_NATIVE (the code of errors no check of keratorch's named) looks like, for a reviewer.
    nativeErrorExamples: ran.filter((r) => r.outcome === 'keratorch' && r.code === 'ERR_NATIVE').slice(0, 20).map(withRepro),
    validCallsThatFailed: ran.filter((r) => r.valid && r.outcome !== 'ok' && !failing(r)).map(withRepro),
  };
}

const clip = (text, width) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

/** The counts as one line each. */
function formatCounts(report) {
  const c = report.counts;
  return [`fuzz: ${c.cases} cases (seeds ${report.seeds.join(', ')}) in ${report.seconds} s, ${report.children} child processes`,
    `  crashes ${c.crashes}, hangs ${c.hangs}, non-KeratorchErrors ${c.nonKeratorchErrors}, KeratorchErrors ${c.keratorchErrors}, ` +
    `successes ${c.successes}, the fuzzer's own thrown values passed on ${c.userErrorsPassedOn}, invalid cases ${c.invalidCases}`,
    `  KeratorchError codes: ${Object.entries(report.errorCodes).map(([code, n]) => `${code} ${n}`).join(', ')}`].join('\n');
}

/**
 * The failing cases as a table, one row per target and distinct outcome (with how many cases gave
 * it): name, arguments, outcome.
 */
function formatFailures(report, width = 100) {
  const rows = new Map();
  for (const r of report.failures) {
    const detail = [r.error, ...(r.late ?? [])].filter(Boolean).join('; ');
    const key = `${r.target}\u0000${r.outcome}\u0000${detail.replace(/\d+/g, 'N')}`;
    const row = rows.get(key) ?? { r, detail, n: 0 };
    row.n++;
    rows.set(key, row);
  }
  if (rows.size === 0) return 'no failing cases';
  const lines = [`${'name'.padEnd(26)} ${'arguments'.padEnd(width)} outcome`];
  for (const { r, detail, n } of [...rows.values()].sort((a, b) => a.r.outcome.localeCompare(b.r.outcome) || a.r.target.localeCompare(b.r.target))) {
    const args = r.group === 'cli' ? r.argv.join(' ') : r.group === 'file' ? `${r.how}: ${r.expr}` : r.expr;
    lines.push(`${clip(r.target, 26).padEnd(26)} ${clip(args.replace(/\s+/g, ' '), width).padEnd(width)} ${r.outcome}` +
      `${n > 1 ? ` (x${n})` : ''}: ${clip(detail, 160)}${r.where ? ` [${r.where}]` : ''}`);
  }
  return lines.join('\n');
}

module.exports = { runFuzz, runCaseList, formatCounts, formatFailures, classifyCli, countOutcomes, DEFAULTS };
