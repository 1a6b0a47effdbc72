/**
 * keratorch: Keras-like deep learning for TypeScript on libtorch.
 * `K` is the Keras backend; `tensor`, `tidy`, `memory` and friends manage tensors directly.
 */
export * from './backend';
export * from './io';
export * from './optimizers';
