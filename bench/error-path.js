#!/usr/bin/env node
// `npm run bench:errors`: what a failing call costs, the way a flood of bad requests would hit a
// server: errors raised inside libtorch (an int softmax, a shape mismatch) against one refused in
// TypeScript before the addon is called. Median of 5 runs of 500 calls each, in ms per call.
'use strict';
const { K, tensor, zeros } = require('../lib');

const ints = tensor([1, 2], undefined, 'int32');
const a = zeros([2, 2]);
const b = zeros([3]);
const cases = {
  'libtorch: softmax of int32': () => K.softmax(ints),
  'libtorch: add [2,2] + [3]': () => K.add(a, b),
  'TypeScript: conv2d strides 0': () => K.conv2d(zeros([1, 3, 3, 1]), zeros([1, 1, 1, 1]), 0),
};
const results = {};
for (const [name, call] of Object.entries(cases)) {
  const runs = [];
  for (let run = 0; run < 5; run++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < 500; i++) {
      try {
        call();
      } catch {
        // expected
      }
    }
    runs.push(Number(process.hrtime.bigint() - started) / 500 / 1e6);
  }
  runs.sort((x, y) => x - y);
  results[name] = runs[2];
  console.log(`${name.padEnd(32)} ${runs[2].toFixed(4)} ms a failing call`);
}
console.log(JSON.stringify(results));
