/** `keratorch info`: versions, the addon, libtorch, CUDA and threads. */
import * as fs from 'fs';
import * as path from 'path';
import { buildInfo, cuda, getNumThreads } from '../backend';

/** Runs `keratorch info`. */
export function info(): void {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  const build = buildInfo();
  const devices = ['cpu', ...Array.from({ length: cuda.deviceCount() }, (_, i) => `cuda:${i}`)];
  console.log(`keratorch ${pkg.version} (node ${process.version})`);
  console.log(`addon:    ${build.addonPath}`);
  console.log(`libtorch: ${build.torchVersion} from ${build.torchSource} (${build.torchLibDir})`);
  console.log(`CUDA:     ${build.cudaCompiled ? 'compiled in' : 'not compiled in'}, ${cuda.isAvailable() ? 'available' : 'not available'}`);
  console.log(`devices:  ${devices.join(', ')}`);
  console.log(`threads:  ${getNumThreads()} intra-op (libtorch)`);
}
