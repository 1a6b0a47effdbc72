#!/usr/bin/env node
/** The `keratorch` command: gen, train, eval, plan, serve, info. */
import { describeOptions, failureReport, OptionSpec, UsageError } from './args';
import { evalOptions, evaluate } from './evaluate';
import { gen, genOptions } from './gen';
import { info } from './info';
import { plan, planOptions } from './plan';
import { serve, serveOptions } from './serve';
import { train, trainOptions } from './train';

const commands: Record<string, { run: (argv: string[]) => void | Promise<void>; options: OptionSpec; summary: string }> = {
  gen: { run: gen, options: genOptions, summary: 'generate a gridworld dataset (.npz)' },
  train: { run: train, options: trainOptions, summary: 'train a VIN and save it' },
  eval: { run: evaluate, options: evalOptions, summary: 'accuracy, success rate and trajectory difference of a VIN' },
  plan: { run: plan, options: planOptions, summary: 'plan one path and draw it (PNG)' },
  serve: { run: serve, options: serveOptions, summary: 'the planning server: POST /plan, GET /healthz' },
  info: { run: info, options: {}, summary: 'versions, libtorch, CUDA, threads' },
};

function usage(): string {
  return 'usage: keratorch <command> [options]\n\n' +
    Object.entries(commands).map(([name, c]) => `  ${name.padEnd(7)} ${c.summary}`).join('\n') +
    '\n\nkeratorch <command> --help lists its options; KERATORCH_DEBUG=1 adds the stack trace to a failure.';
}

function main(argv: string[]): number | Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`keratorch: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`usage: keratorch ${name} [options]\n${command.summary}\n\n${describeOptions(command.options)}`);
    return 0;
  }
  const fail = (error: unknown): number => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\nusage: keratorch ${name} [options]\n${describeOptions(command.options)}`);
      return 2;
    }
    console.error(failureReport(name, error, Boolean(process.env.KERATORCH_DEBUG)));
    return 1;
  };
  try {
    const running = command.run(rest);
    // An async command (serve) reports a failure the same way once it settles.
    if (running instanceof Promise) return running.then(() => 0, fail);
    return 0;
  } catch (error) {
    return fail(error);
  }
}

const status = main(process.argv.slice(2));
if (typeof status === 'number') process.exitCode = status;
else void status.then((code) => { if (code !== 0) process.exit(code); });
