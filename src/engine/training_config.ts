/**
 * The compile options in a form JSON can hold, for `model.save`: optimizer as `{ className, config }`,
 * losses and metrics by name. Custom functions are saved by their registered name
 * (`registerFunction`); `compile` resolves such names when the model is loaded.
 */
import { functionName } from '../io/registry';
import * as losses from '../losses';
import * as metrics from '../metrics';
import { serializeOptimizer } from '../optimizers';
import { CompiledState } from './compile';

type Named = string | ({ name: string } & losses.LossOptions);

/** A loss or metric identifier by name: strings and `{ name, fromLogits }` as given, functions by name. */
function byName(id: unknown, module: Record<string, unknown>): Named | null {
  if (typeof id === 'string') return id;
  if (typeof id === 'function') {
    if (id.name && module[id.name] === id) return id.name;
    return functionName(id as (...args: never[]) => unknown) ?? null;
  }
  if (id !== null && typeof id === 'object' && typeof (id as { name?: unknown }).name === 'string') {
    return { ...(id as { name: string } & losses.LossOptions) };
  }
  return null;
}

/**
 * The training config of a compiled model, or null (with a warning) when a custom loss or metric
 * has no registered name and so cannot be saved.
 */
export function trainingConfig(state: CompiledState): Record<string, unknown> | null {
  const lossNames = state.outputs.map((o) => byName(o.lossId, losses as unknown as Record<string, unknown>));
  const metricNames = state.outputs.map((o) => o.metricIds.map((id) => byName(id, metrics as unknown as Record<string, unknown>)));
  const missing = [...lossNames, ...metricNames.flat()].some((n) => n === null);
  if (missing) {
    process.emitWarning('getTrainingConfig: a custom loss or metric has no registered name, so the training config ' +
      'is not saved; call registerFunction(name, fn) to save it', 'KeratorchWarning');
    return null;
  }
  const names = state.outputs.map((o) => o.name);
  const multi = names.length > 1;
  const config: Record<string, unknown> = {
    optimizer: serializeOptimizer(state.optimizer),
    loss: multi ? Object.fromEntries(names.map((n, i) => [n, lossNames[i]])) : lossNames[0],
    metrics: multi ? Object.fromEntries(names.map((n, i) => [n, metricNames[i]])) : metricNames[0],
  };
  if (multi) config.lossWeights = Object.fromEntries(names.map((n, i) => [n, state.outputs[i].lossWeight]));
  return config;
}
