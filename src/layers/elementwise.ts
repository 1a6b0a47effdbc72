/** The shared base of layers that map one input to an output of its shape. */
import { Tensor } from '../backend';
import { CallArgs, Layer, Shape, singleShape } from '../engine';
import { singleTensor } from './input_checks';

/** One input, an output of the same shape: subclasses say what is done to it in `transform`. */
export abstract class ElementwiseLayer extends Layer {
  /** The output for one input tensor (training tells Dropout-like layers which mode they are in). */
  protected abstract transform(x: Tensor, training: boolean): Tensor;

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return singleShape(this, inputShape);
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    return this.transform(singleTensor(this, inputs), args.training === true);
  }
}
