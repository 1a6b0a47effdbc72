/** File formats and names for saving and loading models: safetensors weights and the registry. */
export {
  encodeSafetensors, decodeSafetensors, saveSafetensors, loadSafetensors,
} from './safetensors';
export type { SafetensorsContents, DecodeSafetensorsOptions } from './safetensors';
export {
  registerFunction, getRegisteredFunction, functionName, unregisterFunction,
  registerClass, getRegisteredClass, unregisterClass,
} from './registry';
export type { RegistrableClass, RegisterOptions } from './registry';
export { saveModel, loadModel, saveWeights, loadWeights, MODEL_FILE, WEIGHTS_FILE } from './model-io';
export type { SavedModel, LoadModelOptions } from './model-io';
