/**
 * Output-shape inference for layers built on a user function (Lambda, Merge): the function runs on
 * zeros of the input shapes, without gradients, and its result is measured. Unknown (null) sizes are
 * tried at two concrete sizes; output axes whose size follows them are unknown (null) too.
 */
import { DType, K, Tensor } from '../backend';
import { describeShape, Layer, layerError, Shape } from '../engine';

/** What a probe run of the function returned. */
export interface InferredOutput {
  /** One shape per output, null where it follows an unknown input size. */
  shapes: Shape[];
  /** One dtype per output. */
  dtypes: DType[];
  /** True when the function returned a list (even of one tensor). */
  multiple: boolean;
}

// Small and different, so that sizes following an unknown axis show up as differences.
const PROBE_SIZES = [2, 3];

interface Probe {
  shapes: number[][];
  dtypes: DType[];
  multiple: boolean;
}

function probe(layer: Layer, run: (inputs: Tensor | Tensor[]) => unknown, shapes: number[][], dtypes: DType[],
  asList: boolean): Probe {
  try {
    return K.tidy(() => K.noGrad(() => {
      const zeros = shapes.map((shape, i) => K.constant(0, dtypes[i], shape));
      const out = run(asList ? zeros : zeros[0]);
      const list = Array.isArray(out) ? out : [out];
      if (list.length === 0 || !list.every((t) => t instanceof Tensor)) {
        throw new Error(`the function returned ${Array.isArray(out) ? 'a list with non-Tensors' : typeof out}, ` +
          'expected a Tensor or a list of Tensors');
      }
      return { shapes: list.map((t) => (t as Tensor).shape), dtypes: list.map((t) => (t as Tensor).dtype), multiple: Array.isArray(out) };
    }));
  } catch (error) {
    throw layerError(layer, 'computeOutputShape', `could not infer the output shape by running the function on zeros ` +
      `of shape ${shapes.map(describeShape).join(', ')} (${(error as Error).message}); pass outputShape`);
  }
}

/** Runs `run` on zeros shaped like `inputShapes` (see the file comment) and returns what came out. */
export function inferOutput(layer: Layer, run: (inputs: Tensor | Tensor[]) => unknown, inputShapes: Shape[],
  inputDTypes: DType[], asList: boolean): InferredOutput {
  const hasUnknown = inputShapes.some((shape) => shape.includes(null));
  const sizes = hasUnknown ? PROBE_SIZES : PROBE_SIZES.slice(0, 1);
  const probes = sizes.map((size) => probe(layer, run, inputShapes.map((shape) => shape.map((d) => d ?? size)),
    inputDTypes, asList));
  const [first, ...others] = probes;
  for (const other of others) {
    const sameRanks = other.shapes.length === first.shapes.length &&
      other.shapes.every((shape, i) => shape.length === first.shapes[i].length);
    if (!sameRanks) {
      throw layerError(layer, 'computeOutputShape', `could not infer the output shape: the function returned ` +
        `${first.shapes.map(describeShape).join(', ')} and ${other.shapes.map(describeShape).join(', ')} for inputs ` +
        'of different sizes on their unknown axes; pass outputShape');
    }
  }
  const shapes = first.shapes.map((shape, i) => shape.map((d, j) => (others.every((o) => o.shapes[i][j] === d) ? d : null)));
  return { shapes, dtypes: first.dtypes, multiple: first.multiple };
}
