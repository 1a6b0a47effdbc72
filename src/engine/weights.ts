/** Stable names for a model's weights (used by saveWeights / loadWeights and save / load). */
import { Tensor } from '../backend';
import { fail } from '../backend/validate';
import { InputLayer, Layer } from './topology';
import { Model } from './model';

/**
 * Every weight of `layer` under a unique name: `layerName/weightName`, with nested models'
 * names as prefixes (`inner/dense_1/kernel`). A weight shared by several layers appears once.
 */
export function namedWeights(layer: Layer, prefix = ''): Map<string, Tensor> {
  if (!(layer instanceof Layer)) fail('namedWeights', 'a Layer', 'layer', layer);
  if (typeof prefix !== 'string') fail('namedWeights', 'a string', 'prefix', prefix);
  const named = new Map<string, Tensor>();
  const seen = new Set<Tensor>();
  const visit = (current: Layer, path: string) => {
    if (current instanceof Model) {
      for (const inner of current.layers) {
        if (inner !== current && !(inner instanceof InputLayer)) visit(inner, inner instanceof Model ? `${path}${inner.name}/` : path);
      }
      return;
    }
    for (const record of current.weightRecords) {
      if (seen.has(record.value)) continue;
      seen.add(record.value);
      named.set(`${path}${record.name}`, record.value);
    }
  };
  visit(layer, prefix);
  return named;
}
