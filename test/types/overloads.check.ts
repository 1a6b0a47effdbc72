/**
 * Compiled by overloads.test.ts with `tsc --noEmit --strict`, never run: what the public types give
 * without casts. `Equal` fails to compile unless a type is exactly the one named (not a union, not
 * any); each `@ts-expect-error` line must be refused, or the compile fails.
 */
import {
  K, Tensor, SymbolicTensor, Input, Model, Sequential, Dense, Concatenate, Add, Lambda, Layer, Merge, merge, tensor,
  loadModel,
} from '../../src';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;

const x = tensor([[1, 2, 3, 4]]);
const target = tensor([[1]]);

// Layers on one input, a list, concrete or symbolic.
const input = Input({ shape: [4] });
const hidden = new Dense({ units: 3 }).apply(input);
export const hiddenIsOne: Equal<typeof hidden, SymbolicTensor> = true;
const joined = new Concatenate().apply([hidden, input]);
export const joinedIsOne: Equal<typeof joined, SymbolicTensor> = true;
const summed = new Add().apply([hidden, hidden]);
const out = new Dense({ units: 1 }).apply(summed);
export const concreteIsOne: Equal<ReturnType<typeof denseOnTensor>, Tensor> = true;
function denseOnTensor(layer: Dense): Tensor {
  return layer.apply(x);
}
const concreteList = new Concatenate().apply([x, x]);
export const concreteListIsOne: Equal<typeof concreteList, Tensor> = true;

// Lambda and merge are typed by the function they run.
const abs = new Lambda((t: Tensor) => K.abs(t)).apply(hidden);
export const lambdaIsOne: Equal<typeof abs, SymbolicTensor> = true;
const split = new Lambda((ts: Tensor[]) => [K.abs(ts[0]), ts[1]]).apply([hidden, hidden]);
export const lambdaListIsList: Equal<typeof split, SymbolicTensor[]> = true;
const merged = merge([hidden, abs], { mode: 'concat' });
export const mergeIsOne: Equal<typeof merged, SymbolicTensor> = true;
const difference = new Merge({ mode: (ts: Tensor[]) => K.subtract(ts[0], ts[1]) }).apply([hidden, abs]);
export const mergeLayerIsOne: Equal<typeof difference, SymbolicTensor> = true;

// A model of one output predicts one Tensor; of a list, a list; as a layer it gives the same.
const model = new Model({ inputs: input, outputs: out });
const prediction = model.predict(x);
export const predictIsOne: Equal<typeof prediction, Tensor> = true;
const onBatch: Tensor = model.predictOnBatch(x);
const later: Promise<Tensor> = model.predictAsync(x);
const two = new Model({ inputs: input, outputs: [hidden, out] });
const both = two.predict(x);
export const predictListIsList: Equal<typeof both, Tensor[]> = true;
const nested = two.apply(input);
export const nestedIsList: Equal<typeof nested, SymbolicTensor[]> = true;
const inner = new Model({ inputs: input, outputs: abs }).apply(input);
const head: SymbolicTensor = new Dense({ units: 2 }).apply(inner);
export const wrapper = new Model({ inputs: input, outputs: head });
const wrapped: Tensor = wrapper.predict(x);

// Sequential has one output.
const sequential = new Sequential([new Dense({ units: 2, inputShape: [4] })]);
const sequentialPrediction = sequential.predict(x);
export const sequentialIsOne: Equal<typeof sequentialPrediction, Tensor> = true;

// What the types cannot know stays a union: a loaded model, a layer typed as Layer.
const loaded = loadModel('some-model').predict(x);
export const loadedIsEither: Equal<typeof loaded, Tensor | Tensor[]> = true;
function anyLayer(layer: Layer): SymbolicTensor | SymbolicTensor[] {
  return layer.apply(input);
}

// evaluate: returnDict gives names; item() a number; a bool tensor's boolean when asked for.
model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
const scores = model.evaluate(x, target, { returnDict: true, verbose: 0 });
export const scoresAreNamed: Equal<typeof scores, Record<string, number>> = true;
const loss: number = scores.loss;
const total: number = K.sum(x).item();
const positive: boolean = K.all(K.greater(x, 0)).item<'bool'>();

// Tensor conveniences.
const block: Tensor = x.slice([0, 1], [1, 2]).slice(0);
const nestedValues = block.toJSON();
const values: Float32Array = x.dataSync<'float32'>();

// Wrong uses are refused.
// @ts-expect-error a model of one output does not predict a list
export const notAList: Tensor[] = model.predict(x);
// @ts-expect-error a layer applied to a symbolic tensor gives no concrete Tensor
export const notConcrete: Tensor = new Dense({ units: 1 }).apply(input);
// @ts-expect-error a model of two outputs does not predict one Tensor
export const notOne: Tensor = two.predict(x);

export const used = [onBatch, later, wrapped, anyLayer, loss, total, positive, nestedValues, values, split];
