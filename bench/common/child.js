// Runs one engine as a child process: its stdout's JSON lines are its results, its stderr passes
// through (progress), and its last stderr lines explain a failure.
const { spawn } = require('child_process');
const readline = require('readline');

const STDERR_LINES_KEPT = 20;

/** Resolves to { records, code, stderrTail }; `onRecord` sees each result as it arrives. */
function runChild(command, args, { env, onRecord }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const records = [];
    const stderrTail = [];
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('{')) return; // libraries' chatter, not a result
      try {
        const record = JSON.parse(line);
        records.push(record);
        onRecord?.(record);
      } catch {
        stderrTail.push(`unreadable result line: ${line}`);
      }
    });
    readline.createInterface({ input: child.stderr }).on('line', (line) => {
      process.stderr.write(`${line}\n`);
      stderrTail.push(line);
      if (stderrTail.length > STDERR_LINES_KEPT) stderrTail.shift();
    });
    child.on('error', (error) => resolve({ records, code: null, stderrTail: [...stderrTail, error.message] }));
    child.on('close', (code, signal) => resolve({ records, code: code ?? signal, stderrTail }));
  });
}

module.exports = { runChild };
