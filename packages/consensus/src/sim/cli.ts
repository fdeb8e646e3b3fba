import { parseArgs } from 'node:util';
import { type SimOptions, simulate } from './simulator.js';

/**
 * npm run sim -- --seeds A..B [--validators 4,7,10] [--twins K]
 * One line per failing run, with the command that reproduces it, then a summary line.
 */
const USAGE = `npm run sim -- [--seeds A..B | --seed N] [--validators 4,7,10] [--twins K] [--trace]
  seeded consensus simulations with network chaos, crashes and Byzantine twins (default seeds 1..100,
  twins f = (n-1)/3 per validator count). Prints one line per failing run with the command that
  reproduces it, then a summary; exits 1 on any violation, 2 on bad usage.`;

function fail(message: string): never {
  process.stderr.write(`error SIM_USAGE: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function parseOptions() {
  try {
    return parseArgs({
      options: {
        seeds: { type: 'string' },
        seed: { type: 'string' },
        validators: { type: 'string', default: '4,7,10' },
        twins: { type: 'string' },
        trace: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return fail((error as Error).message);
  }
}

const { values } = parseOptions();
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

function seedRange(): [number, number] {
  if (values.seed !== undefined) {
    const n = Number(values.seed);
    if (!Number.isSafeInteger(n)) fail('--seed must be an integer');
    return [n, n];
  }
  const m = /^(\d+)\.\.(\d+)$/.exec(values.seeds ?? '1..100');
  if (!m) fail('--seeds must look like A..B');
  const [a, b] = [Number(m[1]), Number(m[2])];
  if (b < a) fail('--seeds A..B needs A <= B');
  return [a, b];
}

const [from, to] = seedRange();
const counts = values.validators!.split(',').map(Number);
if (counts.some((n) => !Number.isInteger(n) || n < 1 || n > 200))
  fail('--validators must list counts from 1 to 200');

let runs = 0;
let failures = 0;
let violations = 0;
let heights = 0;
const started = performance.now();
for (let seed = from; seed <= to; seed++) {
  for (const validators of counts) {
    const f = Math.floor((validators - 1) / 3);
    const twins = values.twins !== undefined ? Number(values.twins) : f;
    if (!Number.isInteger(twins) || twins < 0) fail('--twins must be a whole number');
    if (twins > f)
      fail(`--twins ${twins} exceeds f = ${f} for ${validators} validators: BFT promises nothing then`);
    const options: SimOptions = { seed, validators, twins, keepTrace: values.trace === true };
    const result = simulate(options);
    runs++;
    heights += result.heightsDecided;
    if (result.violations.length > 0) {
      failures++;
      violations += result.violations.length;
      console.log(
        `FAIL seed ${seed}, ${validators} validators, ${twins} twins: ${result.violations[0]} | reproduce: npm run sim -- --seed ${seed} --validators ${validators} --twins ${twins}`,
      );
      if (values.trace) for (const line of result.trace ?? []) console.log(`  ${line}`);
    }
  }
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `sim: ${to - from + 1} seeds (${from}..${to}) x validators ${counts.join(',')} = ${runs} runs; ${failures} runs with violations (${violations} violations); ${heights} heights decided; ${seconds} s`,
);
process.exitCode = failures > 0 ? 1 : 0;
