/**
 * Hostile and corrupt input, pipes, memory (issue 13): one block per numbered item, each on
 * inputs the test makes itself, plus a small seeded slice of `npm run fuzz`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readLog } from '../src/io/read-log.js';
import { MAX_SERIES_POINTS } from '../src/io/builders.js';
import { FIXTURES, ROOT, runCli } from './helpers/cli.js';
import { expectOneLineError, scratchFolder } from './helpers/files.js';

const { dir, file } = scratchFolder('losscast-hostile-');
/** A falling loss curve as CSV rows "step,loss,lr" (constant LR), steps every 10. */
const csvRows = (n: number, step = (i: number) => (i + 1) * 10) => Array.from({ length: n }, (_, i) => `${step(i)},${(2.5 + 1.5 * (i + 1) ** -0.4).toFixed(5)},3e-4`);
const oneLineError = expectOneLineError;
/** A params file of the momentum law fitted on two public curves (fitted once, read by several tests). */
let fitted: string | undefined;
const cosineParams = () => {
  if (fitted) return fitted;
  const path = join(dir, 'cosine-params.json');
  const r = runCli(['fit', `${FIXTURES}mpl-400M/cosine_24000.csv`, `${FIXTURES}mpl-400M/constant_24000.csv`, '--samples', '20', '-o', path, '--json']);
  expect(r.code).toBe(0);
  return (fitted = path);
};

describe('1. memory is bounded by the data, not by a number in it', () => {
  it('one corrupt step of 1e8 in a 95-row CSV is dropped as an outlier, with a warning, not allocated', () => {
    const rows = csvRows(95);
    rows[60] = rows[60].replace(/^\d+/, '100000000');
    const r = runCli(['fit', file('corrupt-step.csv', `step,loss,lr\n${rows.join('\n')}\n`), '--samples', '0', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.runs[0].lastLogged).toBe(950);
    expect(doc.warnings.map((w: { message: string }) => w.message).join(' ')).toMatch(/loss logged at step 100,000,000, far beyond the steps before it \(up to 950\): ignored as a corrupt step value/);
  });

  it('steps of 2³² and beyond are never an internal error', () => {
    const rows = csvRows(40);
    rows[39] = rows[39].replace(/^\d+/, '4294967296');
    const r = runCli(['fit', file('step-2-32.csv', `step,loss,lr\n${rows.join('\n')}\n`), '--samples', '0']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect([0, 1]).toContain(r.code);
  });

  it('a schedule of 10⁹ constant steps is drawn at once; 10¹² steps, or 10⁹ changing ones, are a usage error before any work', () => {
    const ok = runCli(['schedule', 'constant:peak=3e-4,total=1e9', '--json']);
    expect(ok.code).toBe(0);
    oneLineError(runCli(['schedule', 'constant:peak=3e-4,total=1e12']), 2, /total=1000000000000 steps is more than losscast simulates \(at most 1,000,000,000 steps\)/);
    const params = file('bare.json', JSON.stringify({ L0: 2.4, A: 0.6, alpha: 0.5, C: 0.5, lambda: 0.999 }));
    oneLineError(runCli(['predict', '--params', params, '--schedule', 'invsqrt:peak=3e-4,total=1e9']), 2, /its LR changes at 1,000,000,000 steps, more than losscast follows \(at most 10,000,000/);
    oneLineError(runCli(['predict', '--params', params, '--schedule', 'constant:peak=3e-4,total=1e9', '--csv', '--every', '10']), 2, /more than 20,000; use --every \d+ or more/);
  });
});

describe('2. damaged documents end in one clean line', () => {
  const hf = readFileSync(`${FIXTURES}real-logs/hf-trainer-state/whisper-large-v2-ja-5k_trainer_state.json`);
  const wandb = readFileSync(`${FIXTURES}real-logs/wandb-history-json/124m_cos-10_lr0.001_iter25000.json`);
  const json = Buffer.from(JSON.stringify(Array.from({ length: 50 }, (_, i) => ({ step: i + 1, loss: 3 - i / 100 }))));
  for (const [name, bytes] of [['trainer_state.json', hf], ['wandb-history.json', wandb], ['records.json', json]] as const) {
    it(`${name}.gz truncated, or with trailing garbage`, () => {
      const z = gzipSync(bytes);
      oneLineError(runCli(['fit', file(`cut-${name}.gz`, z.subarray(0, z.length >> 1))]), 1, new RegExp(`cut-${name.replace('.', '\\.')}\\.gz: .*(truncated|end of file|ends early)`));
      const garbage = runCli(['fit', file(`garbage-${name}.gz`, Buffer.concat([z, Buffer.from('not gzip at all')]))]);
      expect(garbage.stderr).not.toMatch(/internal error/);
      if (garbage.code !== 0) oneLineError(garbage, 1, new RegExp(`garbage-${name.replace('.', '\\.')}\\.gz: `));
    });
  }

  it('a file: schedule of 300,000 lines is read (no call-stack overflow)', () => {
    const lrs = file('long-lr.txt', Array.from({ length: 300_000 }, (_, i) => String(3e-4 * (1 - i / 300_000))).join('\n'));
    const r = runCli(['schedule', `file:path=${lrs}`, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).total).toBe(300_000);
  });

  it('a params file with "runs": [null] is refused by the schema', () => {
    const doc = JSON.parse(readFileSync(cosineParams(), 'utf8'));
    doc.runs = [null];
    oneLineError(runCli(['predict', '--params', file('runs-null.json', JSON.stringify(doc)), '--schedule', 'cosine:peak=3e-4,total=24000']), 1, /runs-null\.json: params file does not match the fit schema: runs\.0 /);
  });
});

describe('3. a closed pipe ends losscast quietly', () => {
  const piped = (command: string) => spawnSync('bash', ['-c', `set -o pipefail; node ${ROOT}bin/losscast.js ${command}; echo "status $?" >&2`], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  it('predict --csv --every 1 | head -c 10 and fit --help | head -c 10: no stack trace; status 141 when the write failed', () => {
    const params = file('bare-pipe.json', JSON.stringify({ L0: 2.4, A: 0.6, alpha: 0.5, C: 0.5, lambda: 0.999 }));
    // 20,000 CSV rows (~600 kB) cannot fit in a pipe's buffer: the write fails once head has gone
    const big = piped(`predict --params ${params} --schedule "cosine:peak=3e-4,total=20000" --csv --every 1 | head -c 10`);
    expect(big.stdout).toBe('step,lr,lo');
    expect(big.stderr.trim()).toBe('status 141');
    // help is small: it may be written whole before head exits (status 0) or not (141), quietly either way
    const help = piped('fit --help | head -c 10');
    expect(help.stdout).toBe('Usage: los');
    expect(help.stderr.trim()).toMatch(/^status (0|141)$/);
  });
});

describe('4. long lines', () => {
  it('a 15 MB line is skipped with a note, and the rest of the log is read', async () => {
    const rows = csvRows(50);
    rows.splice(20, 0, '7'.repeat(15 << 20));
    const curve = await readLog(file('long-line.csv', `step,loss,lr\n${rows.join('\n')}\n`));
    expect(curve.train!.steps).toHaveLength(50);
    expect(curve.warnings.join(' ')).toMatch(/longer than/);
  });
});

describe('5. params files are checked, one clear error each', () => {
  const bare = { L0: 2.4, A: 0.6, alpha: 0.5, C: 0.5, lambda: 0.999 };
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['negative L0', { ...bare, L0: -1 }, /L0 = -1 /],
    ['negative A', { ...bare, A: -0.1 }, /A = -0\.1 /],
    ['negative C', { ...bare, C: -2 }, /C = -2 /],
    ['α = 0', { ...bare, alpha: 0 }, /alpha = 0 /],
    ['λ = 1', { ...bare, lambda: 1 }, /lambda = 1 /],
    ['λ a string', { ...bare, lambda: 'high' }, /lambda is "high", not a number/],
  ];
  for (const [name, doc, message] of cases) {
    it(name, () => oneLineError(runCli(['predict', '--params', file(`${name}.json`, JSON.stringify(doc)), '--schedule', 'cosine:peak=3e-4,total=1000']), 1, message));
  }

  it('schemaVersion "1" (a string) and a negative RMSE', () => {
    const doc = JSON.parse(readFileSync(cosineParams(), 'utf8'));
    oneLineError(runCli(['predict', '--params', file('version-string.json', JSON.stringify({ ...doc, schemaVersion: '1' })), '--schedule', 'cosine:peak=3e-4,total=1000']), 1, /schemaVersion "1"; this losscast reads schemaVersion 1 \(the number\)/);
    oneLineError(runCli(['predict', '--params', file('rmse.json', JSON.stringify({ ...doc, metrics: { ...doc.metrics, rmse: -0.5 } })), '--schedule', 'cosine:peak=3e-4,total=1000']), 1, /metrics\.rmse/);
  });
});

describe('6. reads of small documents are capped', () => {
  it('--params /dev/zero and file:path=/dev/zero end in a size error', () => {
    oneLineError(runCli(['predict', '--params', '/dev/zero', '--schedule', 'cosine:peak=3e-4,total=1000']), 1, /\/dev\/zero: is larger than 16 MiB, far more than a params file holds/);
    oneLineError(runCli(['schedule', 'file:path=/dev/zero']), 2, /\/dev\/zero: is larger than 64 MiB/);
  });
});

describe('7. a prediction that is not a loss is refused with its reason', () => {
  it('predict: a peak LR 100× the fitted one (negative loss) exits 4; compare ranks it last with the reason', () => {
    const params = cosineParams();
    oneLineError(runCli(['predict', '--params', params, '--schedule', 'cosine:peak=3e-2,total=24000']), 4, /the law's loss at step [\d,]+ is negative .*outside what the fit can extrapolate \(peak LR 0\.03 differs from the fitted peak 0\.0003\)/);
    const r = runCli(['compare', '--params', params, '--schedule', 'cosine:peak=3e-2,total=24000', '--schedule', 'cosine:peak=3e-4,total=24000', '--json']);
    expect(r.code).toBe(0);
    const ranking = JSON.parse(r.stdout).ranking;
    expect(ranking.map((x: { schedule: string }) => x.schedule)).toEqual(['cosine:peak=3e-4,total=24000', 'cosine:peak=3e-2,total=24000']);
    expect(ranking[1]).toMatchObject({ rank: 2, finalLoss: null, gapToBest: null, tie: false });
    expect(ranking[1].problem).toMatch(/negative/);
    expect(ranking[0].problem).toBeNull();
    const text = runCli(['compare', '--params', params, '--schedule', 'cosine:peak=3e-2,total=24000', '--schedule', 'cosine:peak=3e-4,total=24000', '--no-chart']);
    expect(text.stdout).toMatch(/2 {2}cosine peak=3e-2 +— +— .*⚠/);
    expect(text.stdout).toMatch(/⚠ no\s+prediction/);
  });

  it('warmup=1: no loss before any LR area (a usage error for --at 1), and peak=1e308 is refused before any work', () => {
    const params = file('bare-7.json', JSON.stringify({ L0: 2.4, A: 0.6, alpha: 0.5, C: 0.5, lambda: 0.999 }));
    oneLineError(runCli(['predict', '--params', params, '--schedule', 'cosine:peak=3e-4,warmup=1,total=1000', '--at', '1']), 2, /--at 1: the law has no loss there, as no learning has happened yet/);
    const r = runCli(['predict', '--params', params, '--schedule', 'cosine:peak=3e-4,warmup=1,total=1000', '--csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/Infinity|NaN/);
    oneLineError(runCli(['predict', '--params', params, '--schedule', 'cosine:peak=1e308,total=24000']), 2, /LR area beyond 1e\+300/);
  });
});

describe('8. memory stays flat on long logs; -@SPEC reads stdin', () => {
  it('a 600,000-row CSV keeps at most 2^19 evenly spaced points and says so', async () => {
    const curve = await readLog(file('long.csv', `step,loss,lr\n${csvRows(600_000).join('\n')}\n`));
    expect(curve.train!.steps.length).toBeLessThanOrEqual(2 * MAX_SERIES_POINTS);
    expect(curve.train!.total).toBe(600_000);
    expect(curve.train!.steps.at(-1)).toBe(6_000_000); // the last point is kept
    expect(curve.warnings.join(' ')).toMatch(/600,000 loss points: kept 262,144–524,288 evenly spaced ones to bound memory/);
  });

  it('-@SPEC is stdin with its schedule, in operands and in --fit', () => {
    const csv = readFileSync(`${FIXTURES}mpl-400M/cosine_24000.csv`, 'utf8');
    const spec = 'cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5';
    // standard input is under test, not the law: the momentum law fits in milliseconds
    const fit = runCli(['fit', `-@${spec}`, '--model', 'momentum', '--samples', '0', '--json'], { input: csv });
    expect(fit.code).toBe(0);
    expect(JSON.parse(fit.stdout).runs[0]).toMatchObject({ label: 'stdin', source: '-', schedule: spec });
    const predicted = runCli(['predict', '--fit', `-@${spec}`, '--model', 'momentum', '--samples', '0', '--schedule', spec, '--json'], { input: csv });
    expect(predicted.code).toBe(0);
  });
});

describe('9. terminal safety, byte-order marks, bare losscast', () => {
  it('an OSC title sequence in a log never reaches the terminal', () => {
    const r = runCli(['fit', file('osc.csv', 'step,loss,lr\n1,\x1b]0;pwned\x07,3e-4\n')]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/\x1b/);
    expect(r.stderr).toMatch(/\\u001b\]0;pwned\\u0007/); // shown escaped
  });

  it('a UTF-8 BOM: JSON logs and params files are read, and an llm.c log keeps its first line', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const records = JSON.stringify(Array.from({ length: 30 }, (_, i) => ({ step: i + 1, loss: 3 - i / 100 })));
    expect((await readLog(file('bom.json', Buffer.concat([bom, Buffer.from(records)])))).train!.steps).toHaveLength(30);
    const llmc = readFileSync(`${FIXTURES}real-logs/llmc/llmc_gpt2-124M_main.head2000.log`);
    const plain = await readLog(file('main.log', llmc));
    const withBom = await readLog(file('bom-main.log', Buffer.concat([bom, llmc])));
    expect(withBom.eval).toEqual(plain.eval); // "s:0 tel:…" is the first line
    const params = file('bom-params.json', Buffer.concat([bom, Buffer.from(JSON.stringify({ L0: 2.4, A: 0.6, alpha: 0.5, C: 0.5, lambda: 0.999 }))]));
    expect(runCli(['predict', '--params', params, '--schedule', 'cosine:peak=3e-4,total=1000', '--json']).code).toBe(0);
  });

  it('bare losscast prints help on stderr and exits 2; --help exits 0', () => {
    const bare = runCli([]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe('');
    expect(bare.stderr).toMatch(/Usage: losscast/);
    expect(runCli(['--help']).code).toBe(0);
  });
});

describe('npm run fuzz, a small seeded slice', () => {
  it('mutated logs, specs, params files and hostile shell cases: no internal error, stack trace, hang, bad JSON or loss that is not a loss', () => {
    const keep = join(dir, 'fuzz-failures');
    const r = spawnSync(process.execPath, [`${ROOT}dist/fuzz/run.js`, '--logs', '40', '--specs', '30', '--params', '15', '--hostile', '10', '--timeout-ms', '120000', '--seed', '20261128', '--keep', keep], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stdout).toMatch(/mutated logs +40 /);
    for (let item = 1; item <= 10; item++) expect(r.stdout).toMatch(new RegExp(`hostile ${item}: .* +1 `));
    expect(r.stdout).not.toMatch(/FAIL/);
    expect(r.status).toBe(0);
  });
});
