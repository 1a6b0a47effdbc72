/** Callbacks of `fit`: the base class, History, the console logger, and Keras's standard callbacks. */
export { Callback, CallbackList, toCallback, HOOK_NAMES } from './callback';
export type { Logs, CallbackParams, CallbackHooks, CallbackLike } from './callback';
export { History } from './history';
export { ProgbarLogger } from './progbar_logger';
export type { ProgbarLoggerArgs } from './progbar_logger';
export { EarlyStopping } from './early_stopping';
export type { EarlyStoppingArgs } from './early_stopping';
export { ModelCheckpoint } from './model_checkpoint';
export type { ModelCheckpointArgs } from './model_checkpoint';
export { ReduceLROnPlateau } from './reduce_lr_on_plateau';
export type { ReduceLROnPlateauArgs } from './reduce_lr_on_plateau';
export { LearningRateScheduler } from './learning_rate_scheduler';
export type { Schedule } from './learning_rate_scheduler';
export { CSVLogger } from './csv_logger';
export type { CSVLoggerArgs } from './csv_logger';
export { LambdaCallback } from './lambda_callback';
export type { MonitorMode } from './monitor';
