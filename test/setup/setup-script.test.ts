/**
 * scripts/setup.sh without root or sudo: it must stop before doing anything and print the exact
 * command to run. System tools are replaced by stubs on PATH so nothing is installed.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');

function stub(dir: string, name: string, body: string): void {
  fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
}

test('without root or sudo, set-up names the missing packages and the command to run', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-setup-'));
  fs.mkdirSync(path.join(work, 'scripts'));
  fs.copyFileSync(path.join(root, 'scripts', 'setup.sh'), path.join(work, 'scripts', 'setup.sh'));
  const bin = path.join(work, 'bin');
  fs.mkdirSync(bin);
  stub(bin, 'id', 'echo 1000');
  stub(bin, 'sudo', 'exit 1');
  stub(bin, 'dpkg-query', 'case "$*" in *cmake*|*g++*|*make*) printf "install ok installed";; *) exit 1;; esac');
  stub(bin, 'apt-get', 'echo "apt-get must not run" >&2; exit 99');
  const result = spawnSync('bash', [path.join(work, 'scripts', 'setup.sh')], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:/usr/bin:/bin`, LIBTORCH: '', Torch_DIR: '' },
  });
  fs.rmSync(work, { recursive: true, force: true });
  expect(result.status).toBe(1);
  expect(result.stdout).toContain('missing system packages: libtorch-dev');
  expect(result.stdout).toContain("sudo bash -c 'apt-get update && DEBIAN_FRONTEND=noninteractive " +
    "apt-get install -y --no-install-recommends libtorch-dev'");
  expect(result.stderr).not.toContain('apt-get must not run');
});
