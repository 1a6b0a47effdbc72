/** QAtState in a recorded forward (predictAsync): an off-map cell fails the replay, never picks another cell. */
import * as path from 'path';
import { K, loadModel, tensor } from '../../src';

test('predictAsync on the VIN: valid cells give predict\'s logits; an off-map cell (in-range flat index) rejects', async () => {
  const model = loadModel(path.join(__dirname, '..', '..', 'models', 'vin-8x8'));
  const image = K.zeros([2, 2, 8, 8]);
  const valid = tensor(new Int32Array([1, 1, 2, 2]), [2, 2], 'int32');
  const offMap = tensor(new Int32Array([1, 1, 0, 12]), [2, 2], 'int32'); // flat index 12 is another cell's
  const got = await model.predictAsync([image, valid]);
  const want = model.predict([image, valid]) as ReturnType<typeof K.zeros>;
  expect(got.shape).toEqual([2, 8]);
  expect(Array.from(got.data() as Float32Array)).toEqual(Array.from(want.data() as Float32Array));
  await expect(model.predictAsync([image, offMap])).rejects.toThrow(/predictAsync\(vin_8x8\): index out of range/);
  expect(() => model.predict([image, offMap])).toThrow(/expected agent cells \(row, col\) inside the 8x8 map/);
  [image, valid, offMap, got, want].forEach((t) => t.dispose());
  model.dispose();
});
