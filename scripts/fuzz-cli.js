'use strict';
// The fuzz suite's CLI cases: each command's small valid run (`node lib/cli/main.js ...`) with one
// flag given an odd value, left out, repeated or unknown; the runner runs each as its own process
// and reads its exit status and stderr.
const path = require('path');
const { seededRandom } = require('./fuzz-cases');

/** The valid runs, kept small (a tiny dataset, one epoch, k 3) so that any of them ends in seconds. */
function baseCommands(dir) {
  const data = path.join(dir, 'valid', 'd.npz');
  const model = path.join(dir, 'valid', 'vin');
  return [
    ['gen', '--grid', '8', '--domains', '3', '--paths', '2', '--seed', '1', '--out', 'g.npz'],
    ['train', '--data', data, '--domains', '20', '--epochs', '1', '--batch-size', '16', '--k', '3', '--seed', '1', '--out', 'm'],
    ['eval', '--model', model, '--data', data, '--json'],
    ['plan', '--model', model, '--data', data, '--index', '0', '--png', 'p.png'],
    ['info'],
  ];
}

/** Odd flag values: numbers out of range or malformed, and paths that are no regular file. */
function oddValues(dir) {
  const special = (name) => path.join(dir, 'special', name);
  return ['', 'NaN', '-1', '0', '1e30', '1e12', '2.5', 'abc', '0x10', '-0', 'Infinity', '99999999999', '1e-300', ' 8',
    '8abc', '--', '..', '/', special('fifo'), special('folder'), special('zero'), 'missing/folder/x',
    `${path.join(dir, 'valid', 'd.npz')}/x`, 'x'.repeat(5000), '__proto__'];
}

/** `count` CLI cases from `seed`: the commands' valid runs first, then mutations, round-robin. */
function generateCliCases(dir, seed, count) {
  const rng = seededRandom(seed ^ 0xc11);
  const bases = baseCommands(dir);
  const odd = oddValues(dir);
  const cases = [
    { group: 'cli', target: 'keratorch', how: 'no command', argv: [] },
    { group: 'cli', target: 'keratorch', how: 'unknown command', argv: ['nope'] },
    ...bases.map((argv) => ({ group: 'cli', target: `keratorch ${argv[0]}`, how: 'valid run', valid: true, argv })),
  ];
  for (let i = 0; cases.length < count; i++) {
    const base = bases[i % bases.length];
    const [command, ...flags] = base;
    const flagAt = flags.map((f, j) => (f.startsWith('--') ? j : -1)).filter((j) => j >= 0);
    const argv = [...flags];
    let how;
    const roll = rng.next();
    const at = flagAt.length > 0 ? rng.pick(flagAt) : -1;
    const takesValue = at >= 0 && at + 1 < argv.length && !argv[at + 1].startsWith('--');
    if (at >= 0 && takesValue && roll < 0.6) {
      argv[at + 1] = rng.pick(odd);
      how = `${argv[at]} ${JSON.stringify(argv[at + 1].slice(0, 60))}`;
    } else if (at >= 0 && roll < 0.7) {
      argv.splice(at, takesValue ? 2 : 1);
      how = `${flags[at]} left out`;
    } else if (at >= 0 && takesValue && roll < 0.8) {
      argv.push(flags[at], rng.pick(odd));
      how = `${flags[at]} repeated with ${JSON.stringify(argv[argv.length - 1].slice(0, 60))}`;
    } else if (at >= 0 && takesValue && roll < 0.9) {
      argv.splice(at, 2, `${flags[at]}=${rng.pick(odd)}`);
      how = `${flags[at]}=value form`;
    } else if (roll < 0.95) {
      argv.push('--fuzz-unknown', '1');
      how = 'an unknown flag';
    } else {
      argv.push(flagAt.length > 0 ? flags[rng.pick(flagAt)] : '--out');
      how = 'a flag without its value at the end';
    }
    cases.push({ group: 'cli', target: `keratorch ${command}`, how, argv: [command, ...argv] });
  }
  return cases.slice(0, count);
}

module.exports = { generateCliCases };
