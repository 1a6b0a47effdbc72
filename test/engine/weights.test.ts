/** namedWeights refuses what is not a layer, and a prefix that is not a string. */
import { Dense, namedWeights, Sequential } from '../../src';
import { expectError } from '../helpers/errors';

test('namedWeights checks its arguments', () => {
  for (const bad of [[], undefined, new Date(NaN)]) {
    expectError(() => namedWeights(bad as never), 'ERR_ARGUMENT', 'namedWeights: expected a Layer for layer');
  }
  const model = new Sequential([new Dense({ units: 2, inputShape: [3], name: 'd' })]);
  expectError(() => namedWeights(model, 1 as never), 'ERR_ARGUMENT', 'namedWeights: expected a string for prefix');
  expect([...namedWeights(model, 'm/').keys()]).toEqual(['m/d/kernel', 'm/d/bias']);
  model.dispose();
});
