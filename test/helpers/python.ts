/** Debian's system Python with numpy, for tests that check files against numpy; skipped visibly without it. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';

/** The interpreter the golden scripts run with (a pyenv `python3` earlier on PATH may lack numpy). */
export const python = '/usr/bin/python3';

/** True when {@link python} exists and imports numpy. */
export const hasNumpy = fs.existsSync(python) &&
  spawnSync(python, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

/** `test` where numpy is available, else `test.skip`. */
export const withNumpy = hasNumpy ? test : test.skip;

/** Appended to test names, so a skip says why. */
export const numpyNote = hasNumpy ? '' : ' (skipped: /usr/bin/python3 with numpy not found)';
