/** The layer-graph engine: Layer, Input, Model, Sequential, initializers and regularizers. */
export { Layer, Input, InputLayer, SymbolicTensor, Node, uniqueLayerName, ownOptionNames } from './topology';
export type { LayerArgs, CallArgs, FoldedCall, LayerWeight, AddWeightOptions, InputArgs, LayerInput, Applied } from './topology';
export { Model, Sequential } from './model';
export type { ModelArgs, ModelOutputs, ConcreteOutputs } from './model';
export type { Shape } from './shapes';
export { describeShape, layerError, singleShape, shapeList } from './shapes';
export * as initializers from './initializers';
export { getInitializer, serializeInitializer } from './initializers';
export type { Initializer, InitializerIdentifier } from './initializers';
export * as regularizers from './regularizers';
export { getRegularizer, L1L2 } from './regularizers';
export type { Regularizer, RegularizerIdentifier } from './regularizers';
export { serializeLayer, deserializeLayer } from './serialization';
export type { LayerConfig } from './serialization';
export { namedWeights } from './weights';
// Adds compile / fit / evaluate / predict to Model.
import './training';
// Adds predictAsync to Model.
import './predict_async';
export { Batcher } from './batcher';
export type { BatchRequest, BatchRunner } from './batcher';
export type { EvaluateArgs, PredictArgs, ModelData, DataInput } from './training';
export type { CompileArgs } from './compile';
export type { FitArgs } from './fit';
export { Callback, History, ProgbarLogger, EarlyStopping, ModelCheckpoint, ReduceLROnPlateau, LearningRateScheduler,
  CSVLogger, LambdaCallback, TerminateOnNaN, TensorBoard } from './callbacks';
export type { Logs, CallbackParams, CallbackHooks, CallbackLike, ProgbarLoggerArgs, EarlyStoppingArgs,
  ModelCheckpointArgs, ReduceLROnPlateauArgs, Schedule, CSVLoggerArgs, MonitorMode, TerminateOnNaNArgs,
  InvalidLoss, TensorBoardArgs } from './callbacks';
// Adds fitAsync, evaluateAsync and fitDataset to Model.
import './training_async';
export type { DatasetArgs, DatasetBatch, TrainingDataset } from './fit_dataset';
export type { ClassWeight } from './sample_weights';
