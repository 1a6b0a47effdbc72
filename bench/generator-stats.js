#!/usr/bin/env node
// `npm run bench:gen-stats`: the generator's figures against the paper's test files. For each grid,
// `--seeds` datasets of `--maps` maps each (default 5 x 5000) from generateGridworld's defaults: per-map
// interior obstacle density (mean / sd / q10 / q50 / q90) and expert path length in cells, each seed's
// and pooled over all maps, with the pooled figures' relative difference from the original's
// (ORIGINAL_TEST_FIGURES) and whether it is within --tolerance (5%).
//
// The original figures come from 1000 maps each, so they have sampling errors of their own, and
// densities are multiples of 1/(n-2)^2 and path lengths integers, so a quantile moves in whole steps
// (at 16x16 q10 is 8 or 9 obstacle cells: 0.041 or 0.046). The "1000-map" column says whether the
// original's figure is what a 1000-map sample of the generated distribution gives within three
// standard errors (three, not two: with 27 figures, two would flag one or two by chance alone): a
// mean within 3 * sd / sqrt(1000), an sd within 3 * sd / sqrt(2000); a quantile q at value v when q
// lies within 3 * sqrt(q(1-q)/1000) of [P(X < v), P(X <= v)] (printed as "cdf"), the original's
// value widened by its rounding. Exit status 1 when a figure fails that check.
'use strict';
const fs = require('fs');
const path = require('path');
const { parseArgs, parseIntList } = require('./common/args');
const { generateGridworld } = require('../lib/vin/data/generate');
const { loadOriginalGridworld } = require('../lib/vin/data/matlab');
const { datasetDistributions, distribution, formatDistribution, ORIGINAL_TEST_FIGURES } = require('../lib/vin/data/stats');

const options = parseArgs(process.argv.slice(2), { grids: '8,16,28', maps: 5000, seeds: 5, firstSeed: 1, tolerance: 0.05 });
const originals = path.resolve(__dirname, '..', '..', 'shared', 'data', 'vin-original');
const FIGURES = ['mean', 'sd', 'q10', 'q50', 'q90'];

function relative(measured, reference) {
  return measured / reference - 1;
}

const ORIGINAL_MAPS = 1000;
const STANDARD_ERRORS = 3;

/** The fraction of `sorted` below `limit` (or at most `limit` when `inclusive`). */
function fractionBelow(sorted, limit, inclusive) {
  let count = 0;
  while (count < sorted.length && (inclusive ? sorted[count] <= limit : sorted[count] < limit)) count++;
  return count / sorted.length;
}

/**
 * Whether the original's figure `reference` (rounded to 2 * `halfStep`) is what a 1000-map sample of
 * the generated values (`sorted`, `dist` their distribution) gives within STANDARD_ERRORS; and the cdf
 * bracket for a quantile.
 */
function consistent(name, dist, sorted, reference, halfStep) {
  if (name === 'mean' || name === 'sd') {
    const error = dist.sd / Math.sqrt((name === 'sd' ? 2 : 1) * ORIGINAL_MAPS);
    return { ok: Math.abs(dist[name] - reference) <= STANDARD_ERRORS * error + halfStep };
  }
  const q = Number(name.slice(1)) / 100;
  const below = fractionBelow(sorted, reference - halfStep, false);
  const atMost = fractionBelow(sorted, reference + halfStep, true);
  const error = STANDARD_ERRORS * Math.sqrt(q * (1 - q) / ORIGINAL_MAPS);
  return { ok: q >= below - error && q <= atMost + error, cdf: `${below.toFixed(3)}..${atMost.toFixed(3)}` };
}

let failed = false;
const report = {};
for (const n of parseIntList('grids', options.grids)) {
  const reference = ORIGINAL_TEST_FIGURES[n];
  const densities = [];
  const lengths = [];
  console.log(`\n${n}x${n}: ${options.seeds} seeds x ${options.maps} maps`);
  const started = process.hrtime.bigint();
  for (let seed = options.firstSeed; seed < options.firstSeed + options.seeds; seed++) {
    const ds = generateGridworld({ gridSize: n, numDomains: options.maps, seed });
    const stats = datasetDistributions(ds);
    console.log(`  seed ${seed}: density ${formatDistribution(stats.density, 3)}; path ${formatDistribution(stats.pathStates, 2)}`);
    const interior = (n - 2) ** 2;
    for (let d = 0; d < ds.numDomains; d++) {
      let count = 0;
      for (let r = 1; r < n - 1; r++) for (let c = 1; c < n - 1; c++) count += ds.obstacles[(d * n + r) * n + c];
      densities.push(count / interior);
    }
    for (let p = 0; p < ds.pathDomain.length; p++) lengths.push(ds.pathOffsets[p + 1] - ds.pathOffsets[p]);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const density = distribution(Float64Array.from(densities));
  const pathStates = distribution(Float64Array.from(lengths));
  console.log(`  pooled: density ${formatDistribution(density, 3)}; path ${formatDistribution(pathStates, 2)} ` +
    `(generated in ${seconds.toFixed(1)} s with the statistics)`);
  const rows = [];
  if (reference) {
    const check = (what, measured, values, ref, names, halfStep) => {
      const sorted = Float64Array.from(values).sort();
      for (const name of names) {
        const difference = relative(measured[name], ref[name]);
        const within = Math.abs(difference) <= options.tolerance;
        const sample = consistent(name, measured, sorted, ref[name], halfStep);
        if (!sample.ok) failed = true;
        rows.push({ what, name, original: ref[name], measured: measured[name], difference, within, ...sample });
      }
    };
    // Densities are published to 3 decimals; path lengths are integers, their means to 2 decimals.
    check('density', density, densities, reference.density, FIGURES, 0.0005);
    check('path', pathStates, lengths, reference.pathStates, FIGURES.filter((name) => name !== 'sd'), 0.005);
    console.log(`  ${''.padEnd(13)} original  generated  difference  within ${100 * options.tolerance}%  ` +
      `1000-map  cdf at the original's value`);
    for (const row of rows) {
      console.log(`  ${row.what.padEnd(8)} ${row.name.padEnd(4)} ${row.original.toFixed(3).padStart(8)}  ` +
        `${row.measured.toFixed(3).padStart(9)}  ${(100 * row.difference).toFixed(1).padStart(9)}%  ` +
        `${(row.within ? 'yes' : 'no').padEnd(9)} ${(row.ok ? 'yes' : 'NO').padEnd(9)} ${row.cdf ?? ''}`);
    }
  } else {
    console.log(`  no original figures for ${n}x${n} (the paper's sizes are ${Object.keys(ORIGINAL_TEST_FIGURES).join(', ')})`);
  }
  report[n] = { maps: densities.length, paths: lengths.length, density, pathStates, rows };
}

if (fs.existsSync(originals)) {
  console.log(`\noriginal files in ${originals}:`);
  for (const file of fs.readdirSync(originals).filter((name) => name.endsWith('.mat')).sort()) {
    const stats = datasetDistributions(loadOriginalGridworld(path.join(originals, file)));
    console.log(`  ${file}: ${stats.numMaps} maps, density ${formatDistribution(stats.density, 3)}; ` +
      `path ${formatDistribution(stats.pathStates, 2)} (${stats.numPaths} paths from ${stats.pathSource})`);
    report[file] = stats;
  }
} else {
  console.log(`\n${originals} is missing: the original files were not measured`);
}
console.log(JSON.stringify(report));
process.exitCode = failed ? 1 : 0;
