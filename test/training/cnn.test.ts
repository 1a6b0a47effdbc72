/**
 * A small CNN (Conv2D + MaxPooling2D + Dense) learns which quadrant of an 8x8 image holds the
 * bright pixel, measured on images it was not trained on.
 */
import { Conv2D, Dense, Flatten, MaxPooling2D, Adam, Sequential, setSeed } from '../../src';
import { quadrantImages } from '../helpers/datasets';

test('a Conv2D + pooling + Dense model classifies the bright pixel\'s quadrant to >= 95% accuracy on new images', () => {
  setSeed(7);
  const train = quadrantImages(512, 8, 21);
  const test = quadrantImages(200, 8, 22);
  const model = new Sequential([
    new Conv2D({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [8, 8, 1] }),
    new MaxPooling2D({ poolSize: 2 }),
    new Flatten(),
    new Dense({ units: 4, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const history = model.fit(train.x, train.y, { epochs: 15, batchSize: 32, validationSplit: 0.1, verbose: 0 });
  expect(Object.keys(history.history)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
  const [, accuracy] = model.evaluate(test.x, test.y, { verbose: 0 }) as number[];
  expect(accuracy).toBeGreaterThanOrEqual(0.95);
});
