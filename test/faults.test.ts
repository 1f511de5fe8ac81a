/**
 * Hostile input and faults, round 3 (issue 23): one block per numbered item, each on inputs the
 * test makes itself. Every failure must be one line naming the file or option and what to do,
 * with exit 1 (bad data) or 2 (usage), and nothing written where nothing should be.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'losscast-faults-'));
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const oneLineError = (r: { code: number | null; stderr: string }, code: number, pattern: RegExp) => {
  expect(r.stderr).toMatch(pattern);
  expect(r.code).toBe(code);
  expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('losscast:'))).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at |internal error|Maximum call stack/);
};
/** Runs the CLI through bash, so that redirections (> /dev/full, <(…)) are real. */
const shell = (command: string) => {
  const r = spawnSync('bash', ['-c', `node ${ROOT}bin/losscast.js ${command}`], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('1. stdout on a full disk', () => {
  it('demo, fit and schedule --json > /dev/full end in one line naming standard output and ENOSPC, exit 1', () => {
    for (const command of ['demo', 'schedule "cosine:peak=3e-4,total=1000" --json', `fit ${ROOT}fixtures/mpl-400M/cosine_24000.csv --samples 0 -q`]) {
      oneLineError(shell(`${command} > /dev/full`), 1, /^losscast: cannot write to standard output \(ENOSPC: no space left on the device\); free some space, or redirect the output elsewhere\n$/);
    }
  });

  it('with stderr on the full disk too, the exit status alone says it', () => {
    const r = shell('schedule "cosine:peak=3e-4,total=1000" > /dev/full 2>&1');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
  });
});

describe('2. JSON nested thousands deep', () => {
  const deepArray = '['.repeat(6000) + ']'.repeat(6000);
  const deepObject = '{"a":'.repeat(6000) + '1' + '}'.repeat(6000);
  it('a .json log, a trainer_state whose log_history nests, and one JSONL record: one line, exit 1', () => {
    oneLineError(runCli(['fit', file('deep.json', deepArray)]), 1, /deep\.json: nests arrays or objects more than 100 levels deep, which no training log does; is it the right file\?/);
    oneLineError(runCli(['fit', file('deep_trainer_state.json', `{"log_history": ${deepArray}}`)]), 1, /deep_trainer_state\.json: nests arrays or objects more than 100 levels deep/);
    const jsonl = `{"step": 1, "loss": 2.5}\n{"step": 2, "loss": 2.4, "extra": ${deepObject}}\n{"step": 3, "loss": 2.3}\n`;
    oneLineError(runCli(['fit', file('deep.jsonl', jsonl)]), 1, /deep\.jsonl:2: nests arrays or objects more than 100 levels deep, which no log record does/);
    oneLineError(runCli(['inspect', file('deep-inspect.jsonl', jsonl)]), 1, /deep-inspect\.jsonl:2: nests/);
  });

  it('a params file, a compare result and a YAML manifest nested thousands deep', () => {
    oneLineError(runCli(['predict', '--params', file('deep-params.json', deepObject), '--schedule', 'cosine:peak=3e-4,total=1000']), 1, /deep-params\.json: nests .* which no params file does/);
    oneLineError(runCli(['check', '--params', file('deep-params2.json', `{"params": ${deepObject}}`), `${ROOT}fixtures/mpl-400M/cosine_24000.csv`]), 1, /deep-params2\.json: nests/);
    oneLineError(runCli(['evaluate', file('deep.yaml', deepArray)]), 1, /deep\.yaml: nests .* which no manifest does/);
  });
});

describe('3. optimize is bounded by what the input can justify', () => {
  const params = () => file('mpl-params.json', JSON.stringify({ model: 'multi-power-law', L0: 2.375, A: 0.654, alpha: 0.429, B: 523.425, C: 2.025, beta: 0.594, gamma: 0.635 }));

  it('--blocks beyond the documented cap is a usage error before any work, whatever --total', () => {
    const p = params();
    oneLineError(runCli(['optimize', '--params', p, '--peak', '3e-4', '--free-form', '--blocks', '1e9', '--total', '1e9']), 2, /--blocks 1000000000: give a whole number from 1 to 1,000/);
    oneLineError(runCli(['optimize', '--params', p, '--peak', '3e-4', '--free-form', '--blocks', '100000', '--total', '24000']), 2, /--blocks 100000: give a whole number from 1 to 1,000/);
    expect(runCli(['optimize', '--help']).stdout).toMatch(/at most\s+1,000, and at most one per step after warmup/);
  });

  it('more blocks than steps after warmup: one block per step, with a warning', () => {
    const r = runCli(['optimize', '--params', params(), '--peak', '3e-4', '--warmup', '100', '--total', '160', '--free-form', '--blocks', '500', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.warnings.find((w: { code: string }) => w.code === 'blocks-capped').message).toBe('--blocks 500 is more than the 60 steps after warmup: one block per step (60 blocks)');
  });

  it('a default baseline the law cannot follow is refused first, named as the default', () => {
    oneLineError(runCli(['optimize', '--params', params(), '--peak', '3e-4', '--free-form', '--total', '1e9']), 2, /--total 1000000000: the default baseline cannot be scored \(.*more than losscast follows.*\); shorten --total, or give --baseline SPEC/);
  });

  it('a warmup ramp longer than EXACT_RAMP_STEPS is merged, within 1e-7 nats of the exact sum', async () => {
    const { mplBlockObjective, EXACT_RAMP_STEPS } = await import('../src/law/mpl/blocks.js');
    const { mplLossAt } = await import('../src/law/mpl/law.js');
    const { makeProfile } = await import('../src/core/lr-profile.js');
    const p = { L0: 2.375, A: 0.654, alpha: 0.429, B: 523.425, C: 2.025, beta: 0.594, gamma: 0.635 };
    const warmup = 3 * EXACT_RAMP_STEPS;
    const lengths = [20_000, 20_000, 10_000];
    const lrs = [3e-4, 1e-4, 2e-5];
    const profile = makeProfile([{ from: 0, to: warmup, lrAt: (t: number) => (3e-4 * t) / warmup }, ...lengths.map((n, b) => ({ from: warmup + lengths.slice(0, b).reduce((a, c) => a + c, 0), to: warmup + lengths.slice(0, b + 1).reduce((a, c) => a + c, 0), lr: lrs[b] }))], { peak: 3e-4, warmupEnd: warmup });
    for (const convention of ['paper', 'released'] as const) {
      const merged = mplBlockObjective(p, convention, { peak: 3e-4, warmup, lengths })(lrs);
      const exact = mplLossAt(p, profile, [profile.length], convention, 0)[0];
      expect(Math.abs(merged - exact)).toBeLessThan(1e-7);
    }
  });
});
