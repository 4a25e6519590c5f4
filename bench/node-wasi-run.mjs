// Runs a WASI command module under node's WASI (preview1) several times in one process and
// reports, on stderr, one `RESULT name=node_run rep=I ms=T cpu_ms=C` line per run (C: CPU time of
// the whole process, V8's compiler threads included). The module is compiled
// once: run 1 includes compilation (V8 Liftoff, then TurboFan tier-up), later runs reuse the code.
// The guest's stdout and stderr are this process's. Exits 1 if any run exits non-zero.
//
// Usage: node --no-warnings bench/node-wasi-run.mjs [--reps R] [--dir HOST:GUEST] MODULE.wasm [ARGS...]
// --dir preopens the host directory HOST at the guest path GUEST (read and written in place).
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';

const MAX_REPS = 1000;
const MAX_MODULE_BYTES = 64 * 1024 * 1024;

function fail(message) {
  process.stderr.write(`node-wasi-run: ${message}\n`);
  process.exit(2);
}

let argv = process.argv.slice(2);
let reps = 1;
if (argv[0] === '--reps') {
  reps = Number.parseInt(argv[1] ?? '', 10);
  if (!Number.isInteger(reps) || reps < 1 || reps > MAX_REPS) {
    fail(`--reps must be an integer in 1..${MAX_REPS}`);
  }
  argv = argv.slice(2);
}
const preopens = {};
if (argv[0] === '--dir') {
  const spec = argv[1] ?? '';
  const colon = spec.lastIndexOf(':');
  if (colon <= 0 || spec[colon + 1] !== '/') {
    fail('--dir needs HOST:GUEST with an absolute GUEST path');
  }
  preopens[spec.slice(colon + 1)] = spec.slice(0, colon);
  argv = argv.slice(2);
}
if (argv.length < 1) {
  fail('usage: node-wasi-run.mjs [--reps R] MODULE.wasm [ARGS...]');
}
const [modulePath, ...guestArgs] = argv;
const bytes = readFileSync(modulePath);
if (bytes.length > MAX_MODULE_BYTES) {
  fail(`${modulePath} is larger than ${MAX_MODULE_BYTES} bytes`);
}

let compiled = null;
for (let rep = 1; rep <= reps; rep++) {
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  if (compiled === null) {
    compiled = await WebAssembly.compile(bytes);
  }
  const wasi = new WASI({
    version: 'preview1',
    args: ['module.wasm', ...guestArgs],
    env: {},
    preopens,
    returnOnExit: true,
  });
  const instance = await WebAssembly.instantiate(compiled, wasi.getImportObject());
  const code = wasi.start(instance) ?? 0;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  if (code !== 0) {
    process.stderr.write(`node-wasi-run: run ${rep} exited ${code}\n`);
    process.exit(1);
  }
  process.stderr.write(`RESULT name=node_run rep=${rep} ms=${ms.toFixed(2)} cpu_ms=${cpuMs.toFixed(2)}\n`);
}
