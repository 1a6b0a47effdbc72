/** Reading and setting the learning rate of the model's optimizer, for the callbacks that change it. */
import { KeratorchError } from '../../backend';
import type { Model } from '../model';
// Brings the members training.ts adds to Model (optimizer, stopTraining) into scope.
import type { FitArgs as _TrainingMembers } from '../training';

/** The compiled optimizer's learning rate; a clear error when the model is not compiled. */
export function learningRateOf(fn: string, model: Model): number {
  const optimizer = model.optimizer;
  if (!optimizer) {
    throw new KeratorchError(`${fn}: expected a compiled model (with an optimizer) for model but received ` +
      `"${model.name}", which was not compiled`, 'ERR_ARGUMENT', fn);
  }
  return optimizer.learningRate;
}

/** Sets the compiled optimizer's learning rate (takes effect from the next step). */
export function setLearningRate(fn: string, model: Model, value: number): void {
  learningRateOf(fn, model);
  (model.optimizer as NonNullable<Model['optimizer']>).learningRate = value;
}
