/** `keratorch serve`: the planning server (POST /plan, GET /healthz) for one saved VIN, until SIGINT / SIGTERM. */
import * as path from 'path';
import { serving } from '../backend';
import { packageRoot } from '../addon_files';
import { intOption, OptionSpec, parseOptions } from './args';

export const serveOptions: OptionSpec = {
  model: { type: 'string', help: 'folder of a saved VIN (default: the shipped models/vin-16x16)' },
  port: { type: 'string', help: 'TCP port, 0 for any free one (default 3000)' },
  host: { type: 'string', help: 'address to listen on (default 127.0.0.1)' },
  workers: { type: 'string', help: 'native tasks at once (serving.configure; default min(cores, libuv pool))' },
  'intra-op-threads': { type: 'string', help: 'libtorch threads per task (default cores / workers)' },
  'max-batch': { type: 'string', help: 'rows batched into one forward, 1 turns batching off (default 32)' },
  'max-delay-ms': { type: 'string', help: 'how long requests gather for a batch (default 0)' },
  log: { type: 'boolean', help: 'fastify\'s request log on stdout' },
};

/**
 * Runs `keratorch serve`: loads the VIN, records its forward for every batch size, listens, and
 * prints one line with the address once it does. Settles when the server is listening.
 */
export async function serve(argv: string[]): Promise<void> {
  const o = parseOptions('serve', argv, serveOptions);
  const port = intOption('serve', 'port', o.port, 3000, 0, 65535);
  const setting = (flag: string, min = 1) => (o[flag] === undefined ? undefined : intOption('serve', flag, o[flag], 0, min));
  const settings = {
    workers: setting('workers'),
    intraOpThreads: setting('intra-op-threads'),
    maxBatch: setting('max-batch'),
    maxDelayMs: setting('max-delay-ms', 0),
  };
  serving.configure(Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)));
  // fastify is loaded only by this command: the other commands and the library never need it.
  const { closeOnSignals, createPlanServer } = await import('./serve_app');
  const modelDir = path.resolve((o.model as string | undefined) ?? path.join(packageRoot, 'models', 'vin-16x16'));
  const { app, planner } = await createPlanServer({ modelDir, logger: o.log === true });
  const host = (o.host as string | undefined) ?? '127.0.0.1';
  await app.listen({ port, host });
  closeOnSignals(app);
  const address = app.server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  console.log(`keratorch serve: ${path.basename(modelDir)} (${planner.gridSize}x${planner.gridSize}) on ` +
    `http://${host}:${bound} ${JSON.stringify(serving.options())}`);
}
