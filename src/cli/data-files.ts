/** Reading datasets named on the command line: generated `.npz` or the paper's `.mat` files. */
import * as fs from 'fs';
import { GridworldDataset } from '../vin/data/dataset';
import { loadOriginalGridworld } from '../vin/data/matlab';
import { loadDataset } from '../vin/data/npz';
import { UsageError } from './args';

/** Loads `file` by its extension. */
export function loadAnyDataset(command: string, file: string): GridworldDataset {
  if (!fs.existsSync(file)) throw new UsageError(`keratorch ${command}: the data file ${JSON.stringify(file)} does not exist`);
  if (file.endsWith('.npz')) return loadDataset(file);
  if (file.endsWith('.mat')) return loadOriginalGridworld(file);
  throw new UsageError(`keratorch ${command}: expected a .npz (keratorch gen) or .mat (the paper's data) file for --data ` +
    `but received ${JSON.stringify(file)}`);
}
