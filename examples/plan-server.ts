/**
 * A planning server: one pretrained VIN, loaded once, behind fastify.
 *
 *   POST /plan   { obstacles: number[][] (1 = obstacle), start: [row, col], goal: [row, col], maxSteps? }
 *                -> { path: [row, col][], reached: boolean, ended: 'reached' | 'loop' | 'maxSteps' | 'blocked', k: number, ms: number }
 *   GET /healthz -> { status, model, gridSize, eventLoopDelayMs: { p50, p99, max } (since the previous
 *                   /healthz), serving (the settings), tasks (native tasks running and waiting) }
 *
 * Plans run with planner.planAsync: off the event loop, concurrent requests batched into one forward.
 * The server itself is `keratorch/plan-server`, the one `npx keratorch serve --model DIR --port N`
 * runs; this example starts it from environment variables. `npm run serve` compiles this file
 * (tsconfig.examples.json) and runs it. Environment: MODEL (a saved VIN, default models/vin-16x16),
 * PORT (3000), HOST (127.0.0.1), and optionally WORKERS, INTRA_OP_THREADS, MAX_BATCH (1 turns
 * batching off), MAX_DELAY_MS for serving.configure.
 */
import * as path from 'path';
import { serving } from 'keratorch';
import { closeOnSignals, createPlanServer } from 'keratorch/plan-server';

export { closeOnSignals, createPlanServer };
export type { PlanServerOptions } from 'keratorch/plan-server';

function envInt(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value)) throw new Error(`${name} must be an integer but is ${JSON.stringify(text)}`);
  return value;
}

async function main(): Promise<void> {
  const settings = {
    workers: envInt('WORKERS'),
    intraOpThreads: envInt('INTRA_OP_THREADS'),
    maxBatch: envInt('MAX_BATCH'),
    maxDelayMs: envInt('MAX_DELAY_MS'),
  };
  serving.configure(Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)));
  const modelDir = path.resolve(process.env.MODEL ?? path.join(__dirname, '..', '..', 'models', 'vin-16x16'));
  const { app, planner } = await createPlanServer({ modelDir, logger: process.env.LOG === '1' });
  const port = envInt('PORT') ?? 3000;
  const host = process.env.HOST ?? '127.0.0.1';
  await app.listen({ port, host });
  closeOnSignals(app);
  console.log(`plan-server: ${path.basename(modelDir)} (${planner.gridSize}x${planner.gridSize}) on http://${host}:${port} ` +
    `${JSON.stringify(serving.options())}`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(`plan-server: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
}
