/** Keras's model summary table. */
import { fail } from '../backend/validate';
import type { Model } from './model';
import { InputLayer, Layer, Node } from './topology';
import { describeShape, Shape } from './shapes';

/** The widest table summary draws: its rules are lineLength characters, so the width must be one a terminal can mean. */
const MAX_LINE_LENGTH = 1000;

function fit(text: string, width: number): string {
  return text.length >= width ? text.slice(0, width - 1) + ' ' : text.padEnd(width);
}

function shapeText(node: Node): string {
  const shapes = node.outputs.map((o) => o.shape as Shape);
  return shapes.length === 1 ? describeShape(shapes[0]) : `[${shapes.map(describeShape).join(', ')}]`;
}

/** The summary text: one row per layer application, then parameter totals. */
export function formatSummary(model: Model, lineLength?: number, positions?: number[]): string {
  const sequential = model.className === 'Sequential';
  const width = lineLength ?? (sequential ? 65 : 98);
  if (typeof width !== 'number' || !Number.isInteger(width) || width < 1 || width > MAX_LINE_LENGTH) {
    fail('summary', `an integer in [1, ${MAX_LINE_LENGTH}]`, 'lineLength', lineLength);
  }
  const columns = sequential ? ['Layer (type)', 'Output Shape', 'Param #'] : ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'];
  const fractions = positions ?? (sequential ? [0.45, 0.85, 1] : [0.33, 0.55, 0.67, 1]);
  const validStop = (f: unknown) => typeof f === 'number' && f >= 0 && (f <= 1 || (Number.isInteger(f) && f <= width));
  if (!Array.isArray(fractions) || fractions.length !== columns.length || !Array.from(fractions).every(validStop)) {
    fail('summary', `${columns.length} column ends, each a fraction of lineLength in [0, 1] or a column in (1, ${width}]`,
      'positions', positions);
  }
  const stops = fractions.map((f) => (f <= 1 ? Math.floor(width * f) : f));
  const row = (cells: string[]) => cells.map((c, i) => fit(c, stops[i] - (i ? stops[i - 1] : 0))).join('').trimEnd();
  const lines = [`Model: "${model.name}"`, '_'.repeat(width), row(columns), '='.repeat(width)];
  const rows: string[] = [];
  const counted = new Set<Layer>();
  for (const node of model.nodes) {
    const layer = node.layer;
    if (sequential && layer instanceof InputLayer) continue;
    const params = counted.has(layer) ? 0 : layer.countParams();
    counted.add(layer);
    const connections = node.inputs.map((x) => x.name);
    const cells = [`${layer.name} (${layer.className})`, shapeText(node), String(params)];
    if (!sequential) cells.push(connections[0] ?? '');
    const block = [row(cells)];
    if (!sequential) for (const extra of connections.slice(1)) block.push(row(['', '', '', extra]));
    rows.push(block.join('\n'));
  }
  lines.push(rows.join('\n' + '_'.repeat(width) + '\n'));
  const trainable = model.trainableWeights.reduce((n, w) => n + w.size, 0);
  const total = model.countParams();
  lines.push('='.repeat(width), `Total params: ${total.toLocaleString('en-US')}`,
    `Trainable params: ${trainable.toLocaleString('en-US')}`,
    `Non-trainable params: ${(total - trainable).toLocaleString('en-US')}`, '_'.repeat(width));
  return lines.join('\n');
}
