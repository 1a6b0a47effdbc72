#!/usr/bin/env node
// `npm run fuzz`: the long fuzz run of issue 16. Seeds --seed, --seed + 1, ... until --seconds have
// passed (each seed: --api-cases API cases, its file cases, --cli-cases CLI runs), then prints the
// counts and a table of the failing cases and writes the whole report as JSON (path printed last).
//   npm run fuzz -- --seconds 600 --seed 7 --jobs 2 --keep
'use strict';
const fs = require('fs');
const path = require('path');
const { parseArgs } = require('../bench/common/args');
const { runFuzz, formatCounts, formatFailures } = require('./fuzz-runner');

async function main() {
  const options = parseArgs(process.argv.slice(2), {
    seconds: 300, seed: 1, seeds: 1000, apiCases: 3000, fileCases: Infinity, cliCases: 20, jobs: 1, hangMs: 10000, memoryMb: 4096,
    keep: false, out: path.join(__dirname, '..', 'bench', 'results', `fuzz-${new Date().toISOString().slice(0, 10)}.json`),
  });
  if (!fs.existsSync(path.join(__dirname, '..', 'lib', 'index.js'))) throw new Error('fuzz: lib/ is not built (npm run build:ts)');
  const report = await runFuzz({
    seeds: Array.from({ length: options.seeds }, (_, i) => options.seed + i), seconds: options.seconds,
    apiCases: options.apiCases, fileCases: options.fileCases, cliCases: options.cliCases, jobs: options.jobs, hangMs: options.hangMs,
    memoryMb: options.memoryMb, keep: options.keep, log: (line) => console.error(line),
  });
  console.log(formatCounts(report));
  if (report.stale.length > 0) console.log(`stale fuzz table entries (no such target in lib/): ${report.stale.join(', ')}`);
  console.log(`\nfailing cases:\n${formatFailures(report)}`);
  if (report.validCallsThatFailed.length > 0) {
    const lines = report.validCallsThatFailed.map((r) => `  ${r.target}: ${r.expr ?? r.argv.join(' ')} -> ${r.message ?? r.outcome}`);
    console.log(`\nvalid calls that failed (the fuzz table or the library is wrong):\n${[...new Set(lines)].join('\n')}`);
  }
  if (report.nativeErrorExamples.length > 0) {
    console.log(`\nKeratorchErrors with code ERR_NATIVE (no check of keratorch's caught them):\n` +
      report.nativeErrorExamples.map((r) => `  ${r.target}: ${r.expr} -> ${r.message}`).join('\n'));
  }
  fs.mkdirSync(path.dirname(options.out), { recursive: true });
  const temporary = `${options.out}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(report, null, 1)}\n`);
  fs.renameSync(temporary, options.out);
  console.log(`\nreport: ${options.out}${report.folder ? `\nfiles kept in ${report.folder}` : ''}`);
  process.exitCode = report.counts.crashes + report.counts.hangs > 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 2;
});
