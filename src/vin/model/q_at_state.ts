/**
 * The attention step of VIN: from q maps (batch, lQ, rows, cols) and the agent's cells
 * (batch, 2) as (row, col), the q vector at each agent's cell (batch, lQ). With several cells a map
 * (batch, S, 2) it gives (batch, S, lQ): training then runs value iteration once per map for S
 * labelled states, as the paper's code does.
 */
import { arange, DType, K, serving, Tensor, tidy } from '../../backend';
import { CallArgs, Layer, LayerArgs, layerError, Shape } from '../../engine';
import { registerClass } from '../../io/registry';

/** Throws when a (row, col) lies off the rows x cols maps (a wrong cell would pick another cell's q). */
function checkCells(layer: string, cell: Tensor, rows: number, cols: number): void {
  const [low, high] = [K.min(cell, [0, 1]).data() as BigInt64Array, K.max(cell, [0, 1]).data() as BigInt64Array];
  if (low[0] < 0n || low[1] < 0n || high[0] >= BigInt(rows) || high[1] >= BigInt(cols)) {
    throw layerError({ name: layer, className: 'QAtState' }, 'call', `expected agent cells (row, col) inside the ` +
      `${rows}x${cols} map but received rows ${low[0]}..${high[0]} and cols ${low[1]}..${high[1]}`, 'ERR_VALUE');
  }
}

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
    const perMap = state.rank === 3 ? state.shape[1] : 1;
    return tidy(() => {
      const cell = K.reshape(K.cast(state, 'int64'), [batch, perMap, 2]);
      // A recorded forward (predictAsync) cannot read values: there, an off-map cell gets an index
      // past q's end instead, so libtorch's index check fails the replay rather than pick another cell.
      const recording = serving.isRecording();
      if (!recording) checkCells(this.name, cell, rows, cols);
      const row = K.reshape(K.slice(cell, [0, 0, 0], [-1, -1, 1]), [batch, perMap]);
      const col = K.reshape(K.slice(cell, [0, 0, 1], [-1, -1, 1]), [batch, perMap]);
      const cellIndex = K.reshape(K.add(K.multiply(row, cols), col), [batch, perMap, 1]);
      // q[b, c, cell] lies at (b * channels + c) * cells + cell of q read as one flat vector (a
      // view, no copy): one gather of batch x perMap x channels values, whose gradient is a
      // scatter, instead of a one-hot matrix product over every cell or a permuted copy of q.
      const cells = rows * cols;
      const mapStarts = K.reshape(arange(0, batch * channels * cells, channels * cells, 'int64', q.device), [batch, 1, 1]);
      const channelStarts = K.reshape(arange(0, channels * cells, cells, 'int64', q.device), [1, 1, channels]);
      let index = K.add(K.add(mapStarts, channelStarts), cellIndex);
      if (recording) {
        const inside = K.logicalAnd(K.logicalAnd(K.greaterEqual(row, 0), K.less(row, rows)),
          K.logicalAnd(K.greaterEqual(col, 0), K.less(col, cols)));
        index = K.where(K.reshape(inside, [batch, perMap, 1]), index, batch * channels * cells);
      }
      const picked = K.reshape(K.gather(K.reshape(q, [-1]), K.reshape(index, [-1])), [batch, perMap, channels]);
      return state.rank === 3 ? picked : K.reshape(picked, [batch, channels]);
    });
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [q, state] = inputShape as Shape[];
    const cells = state?.length === 3 ? state[2] : state?.[1];
    if (!q || !state || q.length !== 4 || (state.length !== 2 && state.length !== 3) || cells !== 2) {
      throw layerError(this, 'computeOutputShape', `expected [q (None, lQ, rows, cols), state (None, 2) or (None, S, 2)] ` +
        `but received ${JSON.stringify(inputShape)}`);
    }
    return state.length === 3 ? [q[0], state[1], q[1]] : [q[0], q[1]];
  }

  computeOutputDType(inputDTypes: DType[]): DType {
    return inputDTypes[0];
  }
}

registerClass(QAtState);
