/**
 * examples/plan-server.ts: the routes through fastify's inject (valid plans equal planner.plan, every
 * kind of bad body gets 400 with a clear message, a too-large body 413), a real listen on 127.0.0.1,
 * and the graceful close on SIGTERM with a plan in flight.
 */
import * as path from 'path';
import type { FastifyInstance } from 'fastify';
import { closeOnSignals, createPlanServer } from '../../examples/plan-server';
import type { Planner } from '../../src/vin';
import { gridMap } from '../helpers/vin';

const MODEL = path.join(__dirname, '../../models/vin-16x16');
const N = 16;
let app: FastifyInstance;
let planner: Planner;

beforeAll(async () => {
  ({ app, planner } = await createPlanServer({ modelDir: MODEL }));
});
afterAll(() => app.close());

const map = gridMap(N, [[5, 5], [5, 6], [6, 5]]);
const body = { obstacles: map, start: [2, 2], goal: [12, 13] };

async function post(payload: unknown) {
  const response = await app.inject({ method: 'POST', url: '/plan', payload: payload as object });
  return { status: response.statusCode, json: response.json() };
}

test('GET /healthz reports the model and the event-loop delay', async () => {
  const response = await app.inject({ method: 'GET', url: '/healthz' });
  expect(response.statusCode).toBe(200);
  expect(response.json()).toMatchObject({ status: 'ok', model: 'vin-16x16', gridSize: N,
    eventLoopDelayMs: { p99: expect.any(Number) } });
});

test('POST /plan returns the planner\'s path, reached and ms', async () => {
  const { status, json } = await post(body);
  expect(status).toBe(200);
  expect(json).toEqual({ ...planner.plan(body as never), ms: expect.any(Number) });
  expect(json.path[0]).toEqual([2, 2]);
});

test.each([
  ['wrong row count', { ...body, obstacles: map.slice(1) }, /obstacles must NOT have fewer than 16 items/],
  ['wrong row length', { ...body, obstacles: map.map((r, i) => (i === 3 ? r.slice(1) : r)) }, /obstacles\/3 must NOT have fewer/],
  ['a string cell', { ...body, obstacles: map.map((r, i) => (i === 3 ? ['0', ...r.slice(1)] : r)) }, /obstacles\/3\/0 must be integer/],
  ['a cell of 2', { ...body, obstacles: map.map((r, i) => (i === 3 ? [2, ...r.slice(1)] : r)) }, /must be equal to one of the allowed values/],
  ['a non-number start', { ...body, start: ['a', 2] }, /start\/0 must be integer/],
  ['a fractional goal', { ...body, goal: [1.5, 2] }, /goal\/0 must be integer/],
  ['a missing goal', { obstacles: map, start: [2, 2] }, /must have required property 'goal'/],
  ['an unknown field', { ...body, speed: 3 }, /must NOT have additional properties/],
  ['start on an obstacle', { ...body, start: [5, 5] }, /^plan: start \[5, 5\] is on an obstacle$/],
  ['goal off the map', { ...body, goal: [16, 3] }, /^plan: goal \[16, 3\] is off the 16x16 map$/],
  ['start off the map', { ...body, start: [-1, 3] }, /^plan: start \[-1, 3\] is off the 16x16 map$/],
])('400 for %s', async (_, payload, message) => {
  const { status, json } = await post(payload);
  expect(status).toBe(400);
  expect(json.message).toMatch(message);
});

test('400 for a body that is not JSON, 413 for a body over the limit', async () => {
  const broken = await app.inject({ method: 'POST', url: '/plan', payload: '{"obstacles": [', headers: { 'content-type': 'application/json' } });
  expect(broken.statusCode).toBe(400);
  const huge = JSON.stringify({ ...body, padding: 'x'.repeat(300 * 1024) });
  const tooLarge = await app.inject({ method: 'POST', url: '/plan', payload: huge, headers: { 'content-type': 'application/json' } });
  expect(tooLarge.statusCode).toBe(413);
});

test('a real listen on 127.0.0.1 serves plans, and SIGTERM closes it after the plan in flight', async () => {
  const server = await createPlanServer({ modelDir: MODEL });
  const exit = jest.fn();
  const removeHandlers = closeOnSignals(server.app, exit);
  let arrived!: () => void;
  const reachedServer = new Promise<void>((resolve) => { arrived = resolve; });
  server.app.addHook('preHandler', async () => arrived());
  try {
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = server.app.server.address() as { port: number };
    const inFlight = fetch(`http://127.0.0.1:${port}/plan`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    await reachedServer;
    process.emit('SIGTERM', 'SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { path: unknown }).path).toEqual(planner.plan(body as never).path);
    await new Promise<void>((resolve) => {
      const wait = () => (exit.mock.calls.length > 0 ? resolve() : setTimeout(wait, 10));
      wait();
    });
    expect(exit).toHaveBeenCalledWith(0);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  } finally {
    removeHandlers();
    await server.app.close();
  }
});
