// Command-line options of the bench scripts: `--name value` pairs (or `--name=value`), flags without
// a value become true. Unknown names are refused so that a typo never silently runs the defaults.
function parseArgs(argv, defaults) {
  const options = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/.exec(argv[i]);
    if (!match) throw new Error(`unexpected argument ${JSON.stringify(argv[i])} (options are --name value)`);
    const name = match[1].replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (!(name in defaults)) {
      throw new Error(`unknown option --${match[1]} (known: ${Object.keys(defaults).map(toFlag).join(', ')})`);
    }
    let value = match[2];
    if (value === undefined) {
      const next = argv[i + 1];
      value = typeof defaults[name] === 'boolean' || next === undefined || next.startsWith('--') ? 'true' : argv[++i];
    }
    options[name] = convert(name, value, defaults[name]);
  }
  return options;
}

function toFlag(name) {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function convert(name, value, example) {
  if (typeof example === 'boolean') return value !== 'false';
  if (typeof example === 'number') {
    const number = Number(value);
    if (!Number.isFinite(number)) throw new Error(`expected a number for ${toFlag(name)} but received ${JSON.stringify(value)}`);
    return number;
  }
  return value;
}

/** "8,16,28" -> [8, 16, 28], refusing anything but positive integers. */
function parseIntList(name, text) {
  return String(text).split(',').filter((s) => s !== '').map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new Error(`expected positive integers for --${name} but received ${JSON.stringify(text)}`);
    return n;
  });
}

module.exports = { parseArgs, parseIntList };
