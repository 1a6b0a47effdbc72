/**
 * Keras layer options a ported model passes: global pooling's keepdims works (shapes, values,
 * config), and the options keratorch lacks (masks, constraints, activity regularizers, batch
 * renormalization) are refused by name with what is missing, never ignored.
 */
import {
  BatchNormalization, Conv2D, Dense, Embedding, GlobalAveragePooling2D, GlobalMaxPooling2D, K, tensor,
} from '../../src';
import { expectClose } from '../helpers/close';
import { expectKeratorchError } from '../helpers/memory';

describe('global pooling keepdims', () => {
  // (1, 2, 2, 2) channelsLast: channel 0 is 1..4, channel 1 is -1..-4.
  const image = () => tensor([[[[1, -1], [2, -2]], [[3, -3], [4, -4]]]]);

  test.each([
    ['GlobalAveragePooling2D', (keepdims: boolean, dataFormat?: 'channelsFirst') =>
      new GlobalAveragePooling2D({ keepdims, dataFormat }), [2.5, -2.5]],
    ['GlobalMaxPooling2D', (keepdims: boolean, dataFormat?: 'channelsFirst') =>
      new GlobalMaxPooling2D({ keepdims, dataFormat }), [4, -1]],
  ] as const)('%s keeps the pooled axes with size 1, in either layout', (_name, make, pooled) => {
    K.tidy(() => {
      const x = image();
      const kept = make(true);
      expect(kept.computeOutputShape([null, 2, 2, 2])).toEqual([null, 1, 1, 2]);
      const y = kept.apply(x) as ReturnType<typeof tensor>;
      expect(y.shape).toEqual([1, 1, 1, 2]);
      expectClose(y, [[[pooled as unknown as number[]]]]);
      expect(kept.getConfig()).toMatchObject({ keepdims: true });
      expect(make(false).apply(x).shape).toEqual([1, 2]);
      const first = make(true, 'channelsFirst');
      const nchw = K.permuteDimensions(x, [0, 3, 1, 2]);
      expect(first.computeOutputShape([null, 2, 2, 2])).toEqual([null, 2, 1, 1]);
      expectClose(first.apply(nchw) as ReturnType<typeof tensor>, [[[[pooled[0]]], [[pooled[1]]]]]);
    });
  });

  test('keepdims defaults to false and must be a boolean', () => {
    expect(new GlobalAveragePooling2D().keepdims).toBe(false);
    expectKeratorchError(() => new GlobalMaxPooling2D({ keepdims: 1 as never }), 'ERR_ARGUMENT', 'GlobalMaxPooling2D',
      'keepdims');
  });
});

describe('Keras options keratorch lacks are refused by name', () => {
  test.each([
    ['Embedding', 'maskZero', () => new Embedding({ inputDim: 3, outputDim: 2, maskZero: true } as never), 'masks are not supported yet'],
    ['Dense', 'kernelConstraint', () => new Dense({ units: 2, kernelConstraint: 'maxNorm' } as never), 'weight constraints'],
    ['Dense', 'biasConstraint', () => new Dense({ units: 2, biasConstraint: 'nonNeg' } as never), 'weight constraints'],
    ['Conv2D', 'kernelConstraint', () => new Conv2D({ filters: 2, kernelSize: 3, kernelConstraint: 'unitNorm' } as never),
      'weight constraints'],
    ['Embedding', 'embeddingsConstraint', () => new Embedding({ inputDim: 3, outputDim: 2, embeddingsConstraint: 'nonNeg' } as never),
      'weight constraints'],
    ['BatchNormalization', 'gammaConstraint', () => new BatchNormalization({ gammaConstraint: 'nonNeg' } as never),
      'weight constraints'],
    ['BatchNormalization', 'betaConstraint', () => new BatchNormalization({ betaConstraint: 'nonNeg' } as never),
      'weight constraints'],
    ['Dense', 'activityRegularizer', () => new Dense({ units: 2, activityRegularizer: 'l2' } as never), 'activity regularizers'],
    ['BatchNormalization', 'renorm', () => new BatchNormalization({ renorm: true } as never), 'batch renormalization'],
    ['BatchNormalization', 'renormMomentum', () => new BatchNormalization({ renormMomentum: 0.9 } as never),
      'batch renormalization'],
    ['BatchNormalization', 'renormClipping', () => new BatchNormalization({ renormClipping: { rmax: 3 } } as never),
      'batch renormalization'],
  ] as const)('%s %s', (layer, option, make, why) => {
    expectKeratorchError(make, 'ERR_ARGUMENT', layer, `${layer}: ${option} is not supported: `, why, 'leave it out (received ');
  });
});
