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
      const flat = K.add(K.multiply(row, cols), col);
      // Each state's row in q laid out as (batch * rows * cols, channels): one gather, whose
      // gradient is a scatter, instead of a one-hot matrix product over every cell.
      const cells = rows * cols;
      const qByCell = K.reshape(K.permuteDimensions(q, [0, 2, 3, 1]), [batch * cells, channels]);
      const offsets = K.reshape(arange(0, batch * cells, cells, 'int64', q.device), [batch, 1]);
      let index = K.add(flat, offsets);
      if (recording) {
        const inside = K.logicalAnd(K.logicalAnd(K.greaterEqual(row, 0), K.less(row, rows)),
          K.logicalAnd(K.greaterEqual(col, 0), K.less(col, cols)));
        index = K.where(inside, index, batch * cells);
      }
      const picked = K.reshape(K.gather(qByCell, K.reshape(index, [-1])), [batch, perMap, channels]);
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
