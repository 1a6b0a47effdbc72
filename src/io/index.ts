/** File formats and names for saving and loading models: safetensors weights and the registry. */
export {
  encodeSafetensors, decodeSafetensors, saveSafetensors, loadSafetensors,
} from './safetensors';
export type { SafetensorsContents, DecodeSafetensorsOptions } from './safetensors';
export {
  registerFunction, getRegisteredFunction, functionName, unregisterFunction,
  registerClass, getRegisteredClass, unregisterClass,
} from './registry';
export type { RegistrableClass, RegistrableFunction, RegisterOptions } from './registry';
export { saveModel, loadModel, saveWeights, loadWeights, MODEL_FILE, WEIGHTS_FILE } from './model-io';
export type { SavedModel, LoadModelOptions, SaveModelOptions } from './model-io';
export { encodeNpy, decodeNpy, saveNpy, loadNpy } from './npy';
export type { NpyArray, LoadedNpyArray } from './npy';
export { encodeNpz, decodeNpz, saveNpz, loadNpz } from './npz';
export { readMat } from './matlab';
export type { MatValue, MatNumeric, MatChar, MatCell, MatStruct, MatNumericClass, MatNumericData } from './matlab';
export { readEventFile } from './tensorboard_events';
export type { TensorBoardEvent, SummaryValue, Histogram } from './tensorboard_events';
