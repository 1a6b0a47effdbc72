/**
 * The planning server of `keratorch serve` (and of examples/plan-server.ts, `npm run serve`): one
 * pretrained VIN, loaded once, behind fastify.
 *
 *   POST /plan   { obstacles: number[][] (1 = obstacle), start: [row, col], goal: [row, col], maxSteps? }
 *                -> { path: [row, col][], reached: boolean, ended: 'reached' | 'loop' | 'maxSteps' | 'blocked', k: number, ms: number }
 *   GET /healthz -> { status, model, gridSize, eventLoopDelayMs: { p50, p99, max } (since the previous
 *                   /healthz), serving (the settings), tasks (native tasks running and waiting) }
 *
 * Plans run with planner.planAsync: off the event loop, concurrent requests batched into one forward.
 * Imported as `keratorch/plan-server`, so that the main entry never loads fastify.
 */
import { STATUS_CODES } from 'http';
import * as path from 'path';
import { monitorEventLoopDelay } from 'perf_hooks';
import Fastify, { FastifyError, FastifyInstance } from 'fastify';
import { KeratorchError, serving } from '../backend';
import { loadPlanner, Planner } from '../vin';

/** Options of {@link createPlanServer}. */
export interface PlanServerOptions {
  /** The folder of a VIN saved by `keratorch train` or `model.save`. */
  modelDir: string;
  /** Largest request body in bytes; larger ones get 413 (default 256 KiB). */
  bodyLimit?: number;
  /** fastify's logger (default off). */
  logger?: boolean;
}

/** The request body's JSON schema for an n x n model: exact sizes, integers only, nothing else. */
function planSchema(n: number) {
  const cell = { type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2 };
  return {
    type: 'object',
    required: ['obstacles', 'start', 'goal'],
    additionalProperties: false,
    properties: {
      obstacles: {
        type: 'array', minItems: n, maxItems: n,
        items: { type: 'array', minItems: n, maxItems: n, items: { type: 'integer', enum: [0, 1] } },
      },
      start: cell,
      goal: cell,
      maxSteps: { type: 'integer', minimum: 0, maximum: 100 * n },
    },
  };
}

interface PlanBody {
  obstacles: number[][];
  start: [number, number];
  goal: [number, number];
  maxSteps?: number;
}

/** Loads the VIN, records its forward for every batch size, and builds the routes (not listening yet). */
export async function createPlanServer(options: PlanServerOptions): Promise<{ app: FastifyInstance; planner: Planner }> {
  const planner = loadPlanner(options.modelDir);
  planner.warmUp();
  const n = planner.gridSize;
  const modelName = path.basename(options.modelDir);
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 256 * 1024,
    // No type coercion: "1" is not a number here.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  });
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();

  app.setErrorHandler((error: FastifyError | KeratorchError, request, reply) => {
    if (error instanceof KeratorchError && ['ERR_ARGUMENT', 'ERR_SHAPE', 'ERR_VALUE'].includes(error.code)) {
      return reply.code(400).send({ error: 'Bad Request', message: error.message });
    }
    const status = (error as FastifyError).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return reply.code(status).send({ error: STATUS_CODES[status], message: error.message });
    }
    request.log.error(error);
    return reply.code(500).send({ error: 'Internal Server Error', message: error.message });
  });

  app.post<{ Body: PlanBody }>('/plan', { schema: { body: planSchema(n) } }, async (request) => {
    const started = performance.now();
    const { path: cells, reached, ended, k } = await planner.planAsync(request.body);
    return { path: cells, reached, ended, k, ms: Math.round((performance.now() - started) * 1000) / 1000 };
  });

  app.get('/healthz', async () => {
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    const eventLoopDelayMs = { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) };
    delay.reset();
    return { status: 'ok', model: modelName, gridSize: n, eventLoopDelayMs, serving: serving.options(), tasks: serving.load() };
  });

  // Once closing, answers end their connection: a kept-alive socket would hold close() open until
  // its keep-alive timeout, long after the last plan.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('onClose', async () => {
    delay.disable();
    planner.dispose();
  });
  return { app, planner };
}

/**
 * Closes the server on SIGINT / SIGTERM: no new connections, in-flight plans finish, then `exit(0)`
 * (exit(1) if closing failed). Returns a function that removes the handlers.
 */
export function closeOnSignals(app: FastifyInstance, exit: (code: number) => void = process.exit): () => void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal}: closing`);
    app.close().then(() => exit(0), (error) => {
      console.error(error);
      exit(1);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
