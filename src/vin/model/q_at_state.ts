/**
 * The attention step of VIN: from q maps (batch, lQ, rows, cols) and the agent's cells
 * (batch, 2) as (row, col), the q vector at each agent's cell (batch, lQ).
 */
import { DType, K, Tensor, tidy } from '../../backend';
import { CallArgs, Layer, LayerArgs, layerError, Shape } from '../../engine';
import { registerClass } from '../../io/registry';

/** Picks q[b, :, row_b, col_b]. */
export class QAtState extends Layer {
  static className = 'QAtState';

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    void args;
    const [q, state] = inputs as Tensor[];
    const [batch, channels, rows, cols] = q.shape;
    return tidy(() => {
      const cell = K.cast(state, 'int64');
      const row = K.reshape(K.slice(cell, [0, 0], [-1, 1]), [-1]);
      const col = K.reshape(K.slice(cell, [0, 1], [-1, 1]), [-1]);
      const flat = K.add(K.multiply(row, cols), col);
      // One-hot selection keeps the gradient flowing to q through a batched product.
      const pick = K.cast(K.oneHot(flat, rows * cols), q.dtype);
      return K.batchDot(K.reshape(q, [batch, channels, rows * cols]), pick, [2, 1]);
    });
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [q, state] = inputShape as Shape[];
    if (!q || !state || q.length !== 4 || state.length !== 2 || state[1] !== 2) {
      throw layerError(this, 'computeOutputShape', `expected [q (None, lQ, rows, cols), state (None, 2)] but received ` +
        `${JSON.stringify(inputShape)}`);
    }
    return [q[0], q[1]];
  }

  computeOutputDType(inputDTypes: DType[]): DType {
    return inputDTypes[0];
  }
}

registerClass(QAtState);
