/** serializeLayer refuses what is not a layer instead of calling its getConfig. */
import { Dense, serializeLayer } from '../../src';
import { expectError } from '../helpers/errors';

test('serializeLayer needs a Layer', () => {
  for (const bad of [0, undefined, null, { className: 'Dense', getConfig: () => ({}) }]) {
    expectError(() => serializeLayer(bad as never), 'ERR_ARGUMENT', 'serializeLayer: expected a Layer for layer');
  }
  expect(serializeLayer(new Dense({ units: 2, name: 'd' })).className).toBe('Dense');
});
