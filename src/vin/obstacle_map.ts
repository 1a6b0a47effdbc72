/**
 * The one reading of an obstacle map that `plan`, `planAsync` and `renderPlanPicture` share: n rows of
 * n cells, or a flat row-major array of n*n cells (a Uint8Array, any typed array or a number[]), each
 * cell 0/1 or false/true. Pure TypeScript, so the picture module stays free of the native addon.
 */
import { KeratorchError } from '../backend/errors';
import { describe } from '../backend/validate';

/** An n x n obstacle map (1 = obstacle): n rows of n cells, or n*n cells row-major. */
export type ObstacleMap = readonly (readonly (number | boolean)[])[] | ArrayLike<number | boolean>;

type Code = 'ERR_ARGUMENT' | 'ERR_SHAPE' | 'ERR_VALUE';

/**
 * `obstacles` as n*n row-major cells of 0/1. `fn` names the caller in errors and `context` says where n
 * comes from (as "this model plans on 16x16 maps"). Throws a KeratorchError naming the bad row or cell.
 */
export function obstacleCells(fn: string, obstacles: unknown, n: number, context: string): Uint8Array {
  const fail = (message: string, code: Code = 'ERR_ARGUMENT'): never => {
    throw new KeratorchError(`${fn}: ${message}`, code, fn);
  };
  const cellValue = (value: unknown, row: number, col: number): number => {
    if (value !== 0 && value !== 1 && value !== true && value !== false) {
      fail(`expected 0 or 1 for obstacles[${row}][${col}] but received ${describe(value)}`, 'ERR_VALUE');
    }
    return Number(value);
  };
  const cells = new Uint8Array(n * n);
  if (Array.isArray(obstacles) && Array.isArray(obstacles[0])) {
    const rows = obstacles as unknown[];
    if (rows.length !== n || rows.some((row) => !Array.isArray(row) || row.length !== n)) {
      fail(`expected obstacles as ${n} rows of ${n} cells (${context}) but received ${rows.length} rows of ` +
        `${rows.map((r) => (Array.isArray(r) ? r.length : typeof r)).slice(0, 3).join('/')}...`, 'ERR_SHAPE');
    }
    (rows as unknown[][]).forEach((row, i) => row.forEach((v, j) => { cells[i * n + j] = cellValue(v, i, j); }));
  } else if (Array.isArray(obstacles) || (ArrayBuffer.isView(obstacles) && !(obstacles instanceof DataView))) {
    const list = obstacles as ArrayLike<unknown>;
    if (list.length !== n * n) {
      fail(`expected ${n * n} obstacle cells (an ${n}x${n} map) but received ${list.length}`, 'ERR_SHAPE');
    }
    for (let i = 0; i < list.length; i++) cells[i] = cellValue(list[i], Math.floor(i / n), i % n);
  } else {
    fail(`expected obstacles as an ${n}x${n} array of 0/1 but received ${describe(obstacles)}`);
  }
  return cells;
}
