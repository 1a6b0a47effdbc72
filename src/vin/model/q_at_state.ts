/**
 * The attention step of VIN: from q maps (batch, lQ, rows, cols) and the agent's cells
 * (batch, 2) as (row, col), the q vector at each agent's cell (batch, lQ). With several cells a map
 * (batch, S, 2) it gives (batch, S, lQ): training then runs value iteration once per map for S
 * labelled states, as the paper's code does.
 */
import { DType, KeratorchError, Tensor, vin } from '../../backend';
import { CallArgs, describeShape, Layer, LayerArgs, layerError, ownOptionNames, Shape } from '../../engine';
import { isShapeList } from '../../engine/shapes';
import { registerClass } from '../../io/registry';

/** Picks q[b, :, row_b, col_b]. */
export class QAtState extends Layer {
  static className = 'QAtState';
  static optionNames = ownOptionNames<LayerArgs, LayerArgs>()();

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    void args;
    const [q, state] = inputs as Tensor[];
    try {
      return vin.qAtCells(q, state);
    } catch (error) {
      // An off-map cell is the caller's data: say which layer refused it.
      if (error instanceof KeratorchError && error.code === 'ERR_VALUE' && error.op === 'qAtCells') {
        throw layerError(this, 'call', error.message.slice('qAtCells: '.length), 'ERR_VALUE');
      }
      throw error;
    }
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [q, state] = inputShape as Shape[];
    const cells = state?.length === 3 ? state[2] : state?.[1];
    if (!q || !state || q.length !== 4 || (state.length !== 2 && state.length !== 3) || cells !== 2) {
      const received = isShapeList(inputShape) ? `[${inputShape.map(describeShape).join(', ')}]` : describeShape(inputShape);
      throw layerError(this, 'computeOutputShape', `expected [q (None, lQ, rows, cols), state (None, 2) or (None, S, 2)] ` +
        `but received ${received}`);
    }
    return state.length === 3 ? [q[0], state[1], q[1]] : [q[0], q[1]];
  }

  computeOutputDType(inputDTypes: DType[]): DType {
    return inputDTypes[0];
  }
}

registerClass(QAtState);
