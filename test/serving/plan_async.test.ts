/**
 * planner.planAsync with the shipped 16x16 VIN: the same paths as plan() on generated maps, batched
 * or not, under interleaved concurrent calls; the same errors for bad requests; value iteration
 * recorded as one op; weight changes seen; predictAsync on the VIN model itself.
 */
import * as path from 'path';
import { serving, Tensor, tensor } from '../../src';
import { generateGridworld, loadPlanner, Planner } from '../../src/vin';
import type { PlanRequest } from '../../src/vin';
import { expectNoLeakAsync, settle } from '../helpers/memory';
import { constantActionVin, serpentineMap, valueIterationVin } from '../helpers/vin';

const SAVED = serving.options();
let planner: Planner;
let requests: PlanRequest[];

beforeAll(async () => {
  await settle();
  planner = loadPlanner(path.join(__dirname, '../../models/vin-16x16'));
  const n = planner.gridSize;
  const ds = generateGridworld({ gridSize: n, numDomains: 24, pathsPerDomain: 1, seed: 11 });
  requests = Array.from({ length: ds.numDomains }, (_, d) => {
    const first = ds.pathOffsets[ds.pathDomain.indexOf(d)];
    return {
      obstacles: Array.from(ds.obstacles.subarray(d * n * n, (d + 1) * n * n)),
      goal: [ds.goals[2 * d], ds.goals[2 * d + 1]] as [number, number],
      start: [ds.pathCells[2 * first], ds.pathCells[2 * first + 1]] as [number, number],
    };
  });
});
afterEach(() => serving.configure(SAVED));
afterAll(() => planner.dispose());

test('planAsync gives plan()\'s paths for concurrent interleaved calls, batched and unbatched', async () => {
  const expected = requests.map((r) => planner.plan(r));
  expect(expected.some((p) => p.reached)).toBe(true);
  for (const maxBatch of [32, 1]) {
    serving.configure({ maxBatch, maxDelayMs: 5 });
    const pending: Promise<unknown>[] = [];
    for (const [i, r] of requests.entries()) {
      pending.push(planner.planAsync(r));
      if (i % 5 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(pending)).toEqual(expected);
  }
});

test('planAsync takes k as plan() does: the model\'s, a longer one and the adaptive one, batched by k', async () => {
  serving.configure({ maxBatch: 8, maxDelayMs: 5 });
  const chosen = requests.slice(0, 12);
  const ks = [undefined, 40, 'auto'] as const;
  const expected = ks.map((k) => chosen.map((r) => planner.plan({ ...r, k })));
  expect(expected[0].every((p) => p.k === 20)).toBe(true);
  expect(expected[2].every((p) => p.k > 20)).toBe(true);
  // Interleaved: each k gets its own queue and recordings, the adaptive batch its own rollout per chosen k.
  const pending = chosen.flatMap((r) => ks.map((k) => planner.planAsync({ ...r, k })));
  const results = await Promise.all(pending);
  expect(ks.map((_, j) => chosen.map((_r, i) => results[i * ks.length + j]))).toEqual(expected);
});

test('the native rollout stops at a loop and reports each ending as plan() does', async () => {
  const { obstacles, start, goal } = serpentineMap();
  const zigzag = new Planner(valueIterationVin(12, 4));
  try {
    const cases = [{ k: 4 }, { k: 4, maxSteps: 0 }, { k: 40 }, { k: 'auto' as const }, { k: 40, maxSteps: 10 },
      { k: 40, start: goal }];
    const sync = cases.map((c) => zigzag.plan({ obstacles, start, goal, maxSteps: 100, ...c }));
    expect(sync.map((p) => p.ended)).toEqual(['loop', 'maxSteps', 'reached', 'reached', 'maxSteps', 'reached']);
    expect(await Promise.all(cases.map((c) => zigzag.planAsync({ obstacles, start, goal, maxSteps: 100, ...c })))).toEqual(sync);
    // A blocked move: a policy that always goes north, into the border.
    const north = new Planner(constantActionVin(0, 12));
    try {
      const request = { obstacles, start: [1, 5] as [number, number], goal };
      expect(await north.planAsync(request)).toEqual({ path: [[1, 5]], reached: false, ended: 'blocked', k: 2 });
      expect(north.plan(request)).toEqual(await north.planAsync(request));
    } finally {
      north.dispose();
    }
  } finally {
    zigzag.dispose();
  }
});

test('bad requests reject with plan()\'s messages', async () => {
  const n = planner.gridSize;
  const good = requests[0];
  const blocked = good.obstacles as number[];
  const wall = blocked.findIndex((v) => v === 1);
  const bad: PlanRequest[] = [
    { ...good, obstacles: [[0, 1], [1, 0]] },
    { ...good, start: [n, 0] },
    { ...good, start: [Math.floor(wall / n), wall % n] },
    { ...good, goal: ['a', 1] as never },
    { ...good, obstacles: blocked.map((v, i) => (i === 5 ? 0.5 : v)) },
    { ...good, k: 10001 },
    { ...good, k: 'sometimes' as never },
  ];
  for (const request of bad) {
    let message = '';
    try {
      planner.plan(request);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^plan: /);
    await expect(planner.planAsync(request)).rejects.toThrow(message);
  }
});

test('the recorded q-map forward holds value iteration as one op, and weight changes are seen', async () => {
  serving.configure({ maxBatch: 1 });
  const request = requests[3];
  const before = await planner.planAsync(request);
  const vi = planner.model.getLayer('vi');
  const saved = vi.getWeights();
  // Kernels that make every q channel equal: the argmax is then the first action everywhere.
  const zeros = [0, 1].map(() => tensor(new Float32Array(90), [3, 3, 1, 10]));
  vi.setWeights(zeros);
  // Disposed here, not left to the garbage collector: the last test counts live tensors.
  zeros.forEach((t) => t.dispose());
  const changed = await planner.planAsync(request);
  expect(changed).toEqual(planner.plan(request));
  expect(changed).not.toEqual(before);
  vi.setWeights(saved);
  expect(await planner.planAsync(request)).toEqual(before);


  // The same recording planAsync makes: h, r and value iteration, with their weights as inputs.
  const n = planner.gridSize;
  const [h, r] = [planner.model.getLayer('h'), planner.model.getLayer('r')];
  const images = tensor(new Float32Array(2 * n * n), [1, 2, n, n]);
  const recording = serving.recordForward('test', [images], [...h.weights, ...r.weights, ...vi.weights],
    ([x]) => [vi.apply(r.apply(h.apply(x) as Tensor) as Tensor) as Tensor]);
  expect(recording.graph.match(/keratorch::fused_value_iteration/g)).toHaveLength(1);
  images.dispose();
});

test('predictAsync on the VIN itself gives predict\'s logits', async () => {
  const n = planner.gridSize;
  const images = tensor(Float32Array.from({ length: 2 * 2 * n * n }, (_, i) => (i % 7 === 0 ? 1 : 0)), [2, 2, n, n]);
  const states = tensor([[1, 1], [3, 4]], [2, 2], 'int32');
  const sync = planner.model.predict([images, states]) as Tensor;
  const async = (await planner.model.predictAsync([images, states])) as Tensor;
  expect(async.shape).toEqual(sync.shape);
  const [a, b] = [async.data(), sync.data()];
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i] as number, 5));
  [images, states, sync, async].forEach((t) => t.dispose());
});

test('async plans leave no tensors behind', async () => {
  await planner.planAsync(requests[0]);
  await expectNoLeakAsync(() => Promise.all(requests.slice(0, 8).map((r) => planner.planAsync(r))));
});
