/**
 * The JSON contract: every command's --json output, on real fixtures, validates against the
 * committed schemas in docs/schema (draft 2020-12); stdout carries only the document.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { fitLaw } from '../src/law/registry.js';
import { fitJson } from '../src/render/json.js';
import { FIXTURES, ROOT, runCli } from './helpers/cli.js';
import { mplRun } from './helpers/mpl.js';

const SCHEMAS = `${ROOT}docs/schema/`;
const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true, strict: true });
for (const f of readdirSync(SCHEMAS)) ajv.addSchema(JSON.parse(readFileSync(SCHEMAS + f, 'utf8')));
const dir = mkdtempSync(join(tmpdir(), 'losscast-schema-'));

function validate(command: string, doc: unknown): void {
  const check = ajv.getSchema(`https://losscast.dev/schema/v1/${command}.json`)!;
  const ok = check(doc);
  expect(ok, JSON.stringify(check.errors, null, 1)).toBe(true);
}

/** Runs a command with --json; its stdout must be one JSON document and nothing else. */
function json(args: string[], expectedCode = 0): unknown {
  const r = runCli([...args, '--json']);
  expect(r.code, r.stderr).toBe(expectedCode);
  expect(r.stdout.trim().startsWith('{') && r.stdout.trim().endsWith('}')).toBe(true);
  return JSON.parse(r.stdout);
}

const M = `${FIXTURES}mpl-400M/`;
const COS = `${M}cosine_24000.csv@cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5`;
const CONST = `${M}constant_24000.csv@constant:peak=3e-4,warmup=2160,total=24000`;
const REAL = `${FIXTURES}real-logs/`;

describe('every --json output validates against docs/schema', () => {
  const params = join(dir, 'params.json');
  /** The fit the tests below read (made once: a small bootstrap, the schema does not depend on its size). */
  let fitted: unknown;
  const fitOnce = () => (fitted ??= json(['fit', COS, CONST, '--samples', '50', '-o', params]));

  it('fit (MPL curves, a real W&B log, a non-annealing fit with warnings) and its params file', () => {
    validate('fit', fitOnce());
    validate('fit', JSON.parse(readFileSync(params, 'utf8')));
    validate('fit', json(['fit', `${REAL}wandb-history-json/124m_cos-10_lr0.001_iter25000.json`, '--samples', '20']));
    const constant = json(['fit', CONST, '--samples', '20']) as { warnings: { code: string }[] };
    validate('fit', constant);
    expect(constant.warnings.map((w) => w.code)).toContain('c-not-identifiable');
  });

  it('predict, compare, schedule', () => {
    fitOnce();
    validate('predict', json(['predict', '--params', params, '--schedule', 'wsd:peak=3e-4,warmup=2160,total=48000,decay=0.2', '--at', '1000,24000']));
    validate('compare', json(['compare', '--params', params, '--sweep', 'wsd:peak=3e-4,warmup=2160,total=24000,decay=0.1..0.3/0.1', '--schedule', 'cosine:peak=6e-4,warmup=2160,total=24000']));
    validate('schedule', json(['schedule', 'step811:peak=3e-4,warmup=2000,total=24000']));
    validate('schedule', json(['schedule', '--list']));
  });

  it('optimize (families with a bootstrap; free-form under both laws)', () => {
    fitOnce();
    validate('optimize', json(['optimize', '--params', params, '--total', '24000']));
    validate('optimize', json(['optimize', '--fit', COS, '--fit', CONST, '--model', 'both', '--samples', '0', '--total', '24000', '--free-form', '--blocks', '50']));
  });

  it('inspect (a console log, a multi-run W&B export, --formats)', () => {
    validate('inspect', json(['inspect', `${REAL}megatron/bigscience_meg_gpt2_base_n8_dp1_tp4_pp8-1809562.out`, `${REAL}olmo/OLMo-150M-tied-emb_train.log`]));
    validate('inspect', json(['inspect', `${REAL}wandb-export-csv/nanogpt-runs_chart-export_train-loss.csv`]));
    validate('inspect', json(['inspect', '--formats']));
  });

  it('evaluate (split and leave-one-out)', () => {
    validate('evaluate', json(['evaluate', `${ROOT}bench/accuracy/mpl-25M.json`, '--samples', '50']));
    validate('evaluate', json(['evaluate', `${ROOT}bench/accuracy/mpl-25M.json`, '--leave-one-out', '--model', 'momentum', '--smooth', '3', '--samples', '20']));
  });

  it('check (a passing and a failing run, --expect-best passing and failing) and demo', () => {
    fitOnce();
    validate('check', json(['check', '--params', params, COS]));
    validate('check', json(['check', '--params', params, `${M}wsd_20000_24000.csv@wsd:peak=3e-4,warmup=2160,total=24000,decay=4000,shape=exponential,final=3e-5`], 3));
    const ranking = join(dir, 'ranking.json');
    writeFileSync(ranking, runCli(['compare', '--params', params, '--schedule', 'cosine:peak=3e-4,warmup=2160,total=24000', '--schedule', 'constant:peak=3e-4,warmup=2160,total=24000', '--json']).stdout);
    validate('check', json(['check', '--expect-best', 'cosine', ranking]));
    validate('check', json(['check', '--expect-best', 'constant', ranking], 3));
    validate('demo', json(['demo', '--samples', '30']));
  });

  it('suggest (a proposed menu of cooldown branches on the real 124M sweep)', () => {
    const sweep = `${FIXTURES}lr-sweep-124m/`;
    const wsd = (decay: string) => `wsd:peak=2e-3,warmup=300,total=50000,decay=${decay},final=0`;
    const doc = json(['suggest', '--fit', `${sweep}constant_50000.val.csv@constant:peak=2e-3,warmup=300,total=50000`, '--from-step', '1000', '--model', 'momentum', '--samples', '20', '--simulations', '2', '--schedule', wsd('0.1'), '--schedule', wsd('0.5'), '--schedule', `${wsd('0.2')},shape=1-sqrt`]) as { menu: string; pilots: { branchFrom: unknown }[] };
    validate('suggest', doc);
    expect(doc.menu).toBe('proposed');
    expect(doc.pilots.length).toBeGreaterThan(0);
    expect(doc.pilots.every((p) => p.branchFrom !== null)).toBe(true);
  });

  it('a value that is not finite becomes null with a warning entry, and still validates', async () => {
    const runs = await Promise.all(['cosine_24000', 'constant_24000'].map((n) => mplRun('400M', n)));
    const fit = fitLaw(runs, { model: 'momentum' });
    fit.model = { ...fit.model, params: { ...fit.model.params, A: Number.NaN } };
    fit.runs[0].fitted[fit.runs[0].fitted.length - 1] = Number.POSITIVE_INFINITY;
    const doc = fitJson(fit, { peakLrs: runs.map((r) => r.lr.peak), skipped: runs.map((r) => r.skipped), warnings: [] });
    expect(doc.params.A).toBeNull();
    expect(doc.runs[0].finalFitted).toBeNull();
    expect(doc.warnings.filter((w) => w.code === 'non-finite')).toHaveLength(2);
    expect(JSON.stringify(doc)).not.toMatch(/NaN|Infinity/);
    validate('fit', JSON.parse(JSON.stringify(doc)));
  });

  it('the schemas reject documents that break the contract', () => {
    const check = ajv.getSchema('https://losscast.dev/schema/v1/compare.json')!;
    expect(check({ schemaVersion: 2, command: 'compare' })).toBe(false);
    const doc = json(['schedule', 'constant:peak=3e-4,total=100']) as Record<string, unknown>;
    validate('schedule', doc);
    expect(ajv.getSchema('https://losscast.dev/schema/v1/schedule.json')!({ ...doc, extra: 1 })).toBe(false);
  });
});

describe('exit codes and streams', () => {
  it('--json keeps warnings out of stderr; --quiet silences warnings but not errors', () => {
    const withWarnings = runCli(['fit', CONST, '--samples', '20', '--json']);
    expect(withWarnings.stderr).toBe('');
    const text = runCli(['fit', CONST, '--samples', '20', '--no-chart']);
    expect(text.stderr).toMatch(/warning: .*C cannot be identified/);
    const quiet = runCli(['fit', CONST, '--samples', '20', '--no-chart', '-q']);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toMatch(/Fitted the stacked mixture of the momentum law and the Multi-Power Law/);
    const error = runCli(['fit', `${M}nope.csv`, '-q']);
    expect(error.code).toBe(1);
    expect(error.stderr).toMatch(/nope\.csv: no such file/);
  });

  it('no progress output when stderr is not a terminal', () => {
    // the law is irrelevant to progress: the momentum law and a small bootstrap keep it cheap
    const r = runCli(['compare', '--fit', COS, '--fit', CONST, '--model', 'momentum', '--samples', '50', '--sweep', 'wsd:peak=3e-4,warmup=2160,total=24000,decay=0.01..0.9/0.01', '--no-chart']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/\r|ranking candidates/);
  });
});

describe('progress on a terminal', () => {
  it('shows on stderr when it is a TTY (via script(1)), and never with --json', () => {
    const command = (extra: string) =>
      `node bin/losscast.js compare --fit '${COS}' --model momentum --samples 50 --sweep 'wsd:peak=3e-4,warmup=2160,total=24000,decay=0.01..0.9/0.01' --no-chart ${extra}`;
    const run = (extra: string) =>
      spawnSync('script', ['-qec', command(extra), '/dev/null'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', LOSSCAST_PROGRESS_DELAY_MS: '0' } });
    const tty = run('');
    if (tty.error) return; // no script(1) on this machine: the non-TTY test above still holds
    expect(tty.stdout).toMatch(/ranking candidates \d+\/90/);
    expect(run('--json').stdout).not.toMatch(/ranking candidates/);
    expect(run('-q').stdout).not.toMatch(/ranking candidates/);
  });
});
