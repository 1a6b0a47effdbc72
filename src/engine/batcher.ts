/**
 * Gathers concurrent async requests into batches. A request that finds its queue idle (no batch of
 * it running or waiting) starts at once, so a lone caller pays no delay. While a batch runs, new
 * requests gather for `maxDelayMs` (default 0: until the end of the event loop's turn; none once
 * `maxBatch` rows are queued), and a batch starts when a worker slot is free, taking its share of the
 * requests queued by then (split with the idle workers, so that several batches overlap) up to
 * `maxBatch` rows. Each caller
 * gets its own result; when a batch fails, its requests are retried one by one so an error reaches
 * only the caller that caused it.
 */
import { serving } from '../backend';

/** A request of `rows` samples (or plans). */
export interface BatchRequest {
  rows: number;
}

/** Runs a batch; returns one result per request, in order. Holds a worker slot while it runs. */
export type BatchRunner<Req extends BatchRequest, Res> = (requests: Req[]) => Promise<Res[]>;

interface Pending<Req, Res> {
  request: Req;
  resolve: (result: Res) => void;
  reject: (error: unknown) => void;
}

/** One queue of compatible requests (same model, same per-sample shapes). */
export class Batcher<Req extends BatchRequest, Res> {
  private queue: Pending<Req, Res>[] = [];
  private queuedRows = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private waitingForWorker = false;
  /** Batches of this queue running now. */
  private running = 0;

  constructor(private readonly runBatch: BatchRunner<Req, Res>) {}

  /** Queues a request; resolves with its own result. */
  submit(request: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.queuedRows += request.rows;
      const { maxBatch, maxDelayMs } = serving.options();
      if (this.queuedRows >= maxBatch || (this.running === 0 && !this.waitingForWorker)) {
        this.dispatch();
      } else if (this.timer === undefined && this.immediate === undefined && !this.waitingForWorker) {
        // maxDelayMs 0: the requests made in this turn of the event loop (say, by the callers of a batch
        // that just finished, or by the HTTP requests read in one poll) go together.
        if (maxDelayMs > 0) this.timer = setTimeout(() => this.dispatch(), maxDelayMs);
        else this.immediate = setImmediate(() => this.dispatch());
      }
    });
  }

  private dispatch(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.immediate !== undefined) {
      clearImmediate(this.immediate);
      this.immediate = undefined;
    }
    if (this.waitingForWorker || this.queue.length === 0) return;
    this.waitingForWorker = true;
    void serving.acquireWorker().then((release) => {
      this.waitingForWorker = false;
      // Split what is queued between this worker and the idle ones: one batch holding every caller
      // would leave the other workers idle, and the workers idle while the JS thread answers it.
      const share = Math.ceil(this.queuedRows / (1 + serving.idleWorkers()));
      const batch = this.take(Math.min(serving.options().maxBatch, share));
      this.running++;
      void this.runGuarded(batch).finally(() => {
        this.running--;
        release();
      });
      // What is left has waited already: it goes as soon as the next worker is free.
      if (this.queue.length > 0) this.dispatch();
    });
  }

  private take(maxBatch: number): Pending<Req, Res>[] {
    const batch: Pending<Req, Res>[] = [];
    let rows = 0;
    while (this.queue.length > 0 && (batch.length === 0 || rows + this.queue[0].request.rows <= maxBatch)) {
      const next = this.queue.shift() as Pending<Req, Res>;
      rows += next.request.rows;
      batch.push(next);
    }
    this.queuedRows -= rows;
    return batch;
  }

  private async runGuarded(batch: Pending<Req, Res>[]): Promise<void> {
    try {
      const results = await this.runBatch(batch.map((p) => p.request));
      batch.forEach((p, i) => p.resolve(results[i]));
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      for (const p of batch) {
        try {
          p.resolve((await this.runBatch([p.request]))[0]);
        } catch (own) {
          p.reject(own);
        }
      }
    }
  }
}
