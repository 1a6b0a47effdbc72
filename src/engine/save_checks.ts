/**
 * What a saved model could not load back, found before anything is written: a layer class with no
 * `className` of its own (it would save under its parent's name and load as the parent, or fail
 * asking to register `Layer`), and config parts a layer cannot record (`Layer.unsavedParts`: the
 * functions of Lambda and Merge layers with no registered name, saved as null).
 */
import { KeratorchError } from '../backend';
import { Model, Sequential } from './model';
import { Layer } from './topology';

/** The problems of one model, each a sentence naming the layer and the fix. */
export interface SaveProblems {
  /** Classes that cannot be saved at all. */
  classes: string[];
  /** Parts saved as null, which loading then refuses (`save(dir, { allowUnregistered: true })` allows them). */
  unregistered: string[];
}

/** Every layer of `model`, nested models' layers included, each once. */
function allLayers(model: Model, seen = new Set<Layer>()): Layer[] {
  const layers = model instanceof Sequential ? model.stack : model.layers;
  for (const layer of layers) {
    if (seen.has(layer)) continue;
    seen.add(layer);
    if (layer instanceof Model) allLayers(layer, seen);
  }
  return [...seen];
}

function label(layer: Layer): string {
  return `layer "${layer.name}" (${layer.constructor.name || layer.className})`;
}

/** The save problems of `model` (empty lists when it saves whole). */
export function findSaveProblems(model: Model): SaveProblems {
  const problems: SaveProblems = { classes: [], unregistered: [] };
  for (const layer of allLayers(model)) {
    // Models are saved as their graph, whatever their class.
    if (layer instanceof Model) continue;
    const cls = layer.constructor;
    if (!Object.prototype.hasOwnProperty.call(cls, 'className')) {
      const name = cls.name || 'MyLayer';
      problems.classes.push(`${label(layer)}: class ${name} has no static className of its own, so it would be ` +
        `saved as "${layer.className}" and could not load back as ${name}: add \`static className = '${name}'\` to ` +
        `the class, and registerClass(${name}) in the program that loads the model`);
    }
    for (const part of layer.unsavedParts()) problems.unregistered.push(`${label(layer)}: ${part}`);
  }
  return problems;
}

/**
 * Throws a KeratorchError naming `fn` when `model` could not load back once saved; with
 * `allowUnregistered`, parts with no registered name only warn (process.emitWarning) and are saved
 * as null, which loading refuses, naming the layer.
 */
export function checkSavable(fn: string, model: Model, allowUnregistered: boolean): void {
  const { classes, unregistered } = findSaveProblems(model);
  const refused = allowUnregistered ? classes : [...classes, ...unregistered];
  if (refused.length > 0) {
    const escape = unregistered.length > 0 && !allowUnregistered
      ? ` (or save(dir, { allowUnregistered: true }) to save ${unregistered.length === 1 ? 'it' : 'them'} as null: ` +
        'loading then refuses a layer without its function, naming it)'
      : '';
    throw new KeratorchError(`${fn}: model "${model.name}" would not load back: ${refused.join('; ')}${escape}`,
      'ERR_ARGUMENT', fn);
  }
  if (unregistered.length > 0) {
    process.emitWarning(`${fn}: model "${model.name}" is saved with null for functions that have no registered ` +
      `name (loading refuses a layer without its function; an outputShape function is inferred instead): ` +
      unregistered.join('; '));
  }
}
