/**
 * Keras layers. Every layer class registers here for loading saved models (`registerClass`), the
 * one place to add a new built-in layer.
 */
import { registerClass } from '../io/registry';
import { Activation, Dropout, Identity } from './core';
import { ELU, LeakyReLU, PReLU, ReLU, Softmax } from './activation_layers';
import { LayerNormalization, UnitNormalization } from './feature_normalization';
import { Conv2D, ZeroPadding2D } from './convolutional';
import { Dense } from './dense';
import { Embedding } from './embedding';
import { Lambda } from './lambda';
import { Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract } from './merge';
import { Merge } from './merge_function';
import { BatchNormalization } from './normalization';
import { AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, MaxPooling2D } from './pooling';
import { Flatten, Permute, RepeatVector, Reshape } from './reshaping';

export { activationNames, getActivation, serializeActivation } from './activations';
export type { ActivationFunction, ActivationIdentifier } from './activations';
export { Activation, Dropout, Identity } from './core';
export { ReLU, LeakyReLU, PReLU, ELU, Softmax } from './activation_layers';
export type { ReLUArgs, LeakyReLUArgs, PReLUArgs, ELUArgs, SoftmaxArgs } from './activation_layers';
export { LayerNormalization, UnitNormalization } from './feature_normalization';
export type { LayerNormalizationArgs, UnitNormalizationArgs } from './feature_normalization';
export type { ActivationArgs, DropoutArgs } from './core';
export { Dense } from './dense';
export type { DenseArgs } from './dense';
export { Flatten, Reshape, Permute, RepeatVector } from './reshaping';
export type { FlattenArgs, ReshapeArgs, PermuteArgs, RepeatVectorArgs } from './reshaping';
export { Embedding } from './embedding';
export type { EmbeddingArgs } from './embedding';
export { FunctionLayer } from './function_layer';
export type { FunctionLayerArgs, LayerFunction, OutputShapeFunction, OutputShapeSpec } from './function_layer';
export { Lambda } from './lambda';
export type { LambdaArgs, LambdaFunction, LambdaOptions } from './lambda';
export { Conv2D, ZeroPadding2D } from './convolutional';
export type { Conv2DArgs, ZeroPadding2DArgs } from './convolutional';
export { MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D } from './pooling';
export type { Pooling2DArgs, GlobalPooling2DArgs } from './pooling';
export { Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot } from './merge';
export type { ConcatenateArgs, DotArgs } from './merge';
export { Merge, merge } from './merge_function';
export type { MergeArgs, MergeFunction, MergeMode, MergeOptions } from './merge_function';
export { BatchNormalization } from './normalization';
export type { BatchNormalizationArgs } from './normalization';
export { convOutputLength } from './conv_utils';

/** Every built-in layer class, by its `className`. */
export const layerClasses = [
  Dense, Activation, Dropout, Flatten, Reshape, Permute, RepeatVector, Embedding, Lambda,
  Conv2D, ZeroPadding2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D,
  Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot, Merge, BatchNormalization,
  Identity, ReLU, LeakyReLU, PReLU, ELU, Softmax, LayerNormalization, UnitNormalization,
] as const;

for (const cls of layerClasses) registerClass(cls);
