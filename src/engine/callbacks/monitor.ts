/** The "is this better?" rule shared by callbacks that watch a logged value (EarlyStopping, ...). */
import { choiceOption } from '../options';

/** How a watched value improves: 'min' (lower is better), 'max', or 'auto' (max for accuracies). */
export type MonitorMode = 'auto' | 'min' | 'max';

/** Resolves 'auto' as Keras does: values whose name contains "acc" improve upwards. */
export function resolveMode(fn: string, mode: unknown, monitor: string): 'min' | 'max' {
  const chosen = choiceOption<MonitorMode>(fn, 'mode', mode, ['auto', 'min', 'max'], 'auto');
  if (chosen !== 'auto') return chosen;
  return monitor.includes('acc') || monitor.startsWith('fmeasure') ? 'max' : 'min';
}

/** True when `current` beats `best` by more than `minDelta` in the direction of `mode`. */
export function improves(mode: 'min' | 'max', current: number, best: number, minDelta: number): boolean {
  return mode === 'min' ? current < best - minDelta : current > best + minDelta;
}

/** The starting "best" value: nothing has improved on it yet. */
export function worst(mode: 'min' | 'max'): number {
  return mode === 'min' ? Infinity : -Infinity;
}

/**
 * Reads a watched value from the logs. A missing value warns every epoch, as Keras does, naming the
 * metrics that are there: a misspelt monitor would otherwise leave the callback doing nothing, silently.
 */
export class MonitorReader {
  constructor(private readonly fn: string, readonly monitor: string) {}

  /** The value, or undefined after a warning (the caller then does nothing this epoch). */
  read(logs: Record<string, number>): number | undefined {
    const value = logs[this.monitor];
    if (value === undefined) {
      process.emitWarning(`${this.fn} is conditioned on metric ${JSON.stringify(this.monitor)}, which is not available; ` +
        `nothing is done this epoch. Available metrics are: ${Object.keys(logs).join(', ') || 'none'}`, 'KeratorchWarning');
    }
    return value;
  }
}
