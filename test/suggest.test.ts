/** suggest: pilots files and their checks, the proposed menu, simulated pilot logs, and the value of a pilot on the real 124M sweep. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuns } from '../src/cli/commands/fit.js';
import { lawByName } from '../src/law/registry.js';
import { lawFromFit, predictedLoss } from '../src/predict/fitted-law.js';
import { bootstrapFit } from '../src/predict/uncertainty.js';
import { parseSchedule, scheduleProfile } from '../src/schedule/schedule.js';
import { defaultMenu } from '../src/suggest/menu.js';
import { checkBranches, MAX_PILOTS, readPilotsFile } from '../src/suggest/pilots.js';
import { branchOffset, loggedLossAt, MAX_PILOT_POINTS, pilotSteps, simulatedLog } from '../src/suggest/simulated-log.js';
import { valueOfPilots } from '../src/suggest/value.js';
import { stratifiedDraws } from '../src/suggest/truths.js';
import { suggestionVerdict } from '../src/render/suggest-report.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readdirSync, readFileSync } from 'node:fs';
import { FIXTURES, ROOT, runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'losscast-suggest-'));
const SWEEP = `${FIXTURES}lr-sweep-124m/`;
const CONST = `${SWEEP}constant_50000.val.csv@constant:peak=2e-3,warmup=300,total=50000`;
const COS = `${SWEEP}cosine-10pct_25000.val.csv@cosine:peak=2e-3,warmup=300,total=25000,final=0.0002`;
const wsd = (total: number, decay: number | string, shape = 'linear') => `wsd:peak=2e-3,warmup=300,total=${total},decay=${decay},shape=${shape},final=0`;

function pilotsFile(name: string, doc: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return path;
}

const fitted = await loadRuns([CONST, COS], {});

describe('pilots files', () => {
  it('reads pilots, a branch as RUN@STEP or {run, step}, and a branch costs its steps after the checkpoint by default', () => {
    const pilots = readPilotsFile(pilotsFile('ok.json', { pilots: [{ name: 'a', schedule: wsd(15000, 1500), branchFrom: 'constant_50000@13500' }, { name: 'b', schedule: wsd(15000, 0.4), cost: 6000, branchFrom: { run: 'constant_50000', step: 9000 } }, { schedule: 'cosine:peak=2e-3,warmup=300,total=15000,final=0.0002' }] }));
    expect(pilots.map((p) => p.cost)).toEqual([1500, 6000, 15000]);
    expect(pilots[0].branchFrom).toEqual({ run: 'constant_50000', step: 13500 });
    expect(pilots[2].name).toBe('pilot 3');
    expect(() => checkBranches(pilots, fitted, 'ok.json')).not.toThrow();
  });

  it('refuses bad menus in one line, naming the file and the pilot', () => {
    const bad: [unknown, RegExp][] = [
      [{ pilots: [] }, /empty/],
      [{ pilots: [{ schedule: wsd(15000, 0.1), cost: 0 }] }, /pilot 1: cost 0 must be a positive/],
      [{ pilots: [{ schedule: wsd(15000, 0.1), cost: 'abc' }] }, /cost "abc"/],
      [{ pilots: [{ schedule: wsd(15000, 0.1), cost: -5 }] }, /cost -5/],
      [{ pilots: [{ name: 'x', schedule: wsd(15000, 0.1) }, { name: 'x', schedule: wsd(15000, 0.2) }] }, /two pilots are named "x"/],
      [{ pilots: [{ schedule: wsd(15000, 0.1), branchFrom: 'constant_50000' }] }, /RUN@STEP/],
      [{ pilots: [{ schedule: wsd(15000, 0.1), branchFrom: 'constant_50000@20000' }] }, /ends at 15000/],
      [{ pilots: Array.from({ length: 10000 }, (_, i) => ({ name: `p${i}`, schedule: wsd(15000, 0.1) })) }, new RegExp(`10000 pilots.*at most ${MAX_PILOTS}`)],
      [{ runs: [] }, /no "pilots" list/],
      [{ pilots: [{ schedule: 'bogus:peak=1' }] }, /pilot 1: unknown schedule "bogus"/],
      ['pilots:\n  - schedule: "wsd:peak=2e-3,warmup=300,total=15000,decay=0.1,final=0"\n    cost: .inf\n', /pilot 1: cost Infinity must be a positive, finite/],
    ];
    for (const [doc, message] of bad) {
      const path = pilotsFile(typeof doc === 'string' ? 'bad.yaml' : 'bad.json', doc);
      expect(() => readPilotsFile(path)).toThrow(message);
      try {
        readPilotsFile(path);
      } catch (err) {
        expect((err as Error).message).toContain(path);
        expect((err as Error).message).not.toContain('\n');
      }
    }
  });

  it('refuses a branch that contradicts its fitted run, names no fitted run, or starts after the run was logged', () => {
    const check = (branchFrom: string, schedule: string) => () => checkBranches(readPilotsFile(pilotsFile('branch.json', { pilots: [{ name: 'p', schedule, branchFrom }] })), fitted, 'branch.json');
    expect(check('constant_50000@13500', wsd(15000, 1500).replace('peak=2e-3', 'peak=1e-3'))).toThrow(/contradicts its branch: at step \d+ its LR is [\d.e-]+ but constant_50000\.val's is/);
    expect(check('cosine-10pct_25000@13500', wsd(15000, 1500))).toThrow(/contradicts its branch/);
    expect(check('nope@13500', wsd(15000, 1500))).toThrow(/"nope", which is not a fitted run/);
    const late = `wsd:peak=2e-3,warmup=300,total=70000,decay=1000,final=0`;
    expect(check('constant_50000@60000', late)).toThrow(/logged only to step 49800: no checkpoint there/);
  });

  it('proposes cooldown branches of a run that holds its peak, each a valid branch, and none of a cosine', () => {
    const menu = defaultMenu(fitted);
    expect(menu).toHaveLength(8);
    expect(new Set(menu.map((p) => p.branchFrom!.run))).toEqual(new Set(['constant_50000']));
    expect(() => checkBranches(menu, fitted, 'menu')).not.toThrow();
    for (const p of menu) expect(p.cost).toBe(parseSchedule(p.schedule).total! - p.branchFrom!.step);
    expect(defaultMenu([fitted[1]])).toEqual([]);
  });
});

describe('simulated pilot logs', () => {
  it('start on the law after the branch and end off by the drawn deviation, growing with the decay', async () => {
    const law = lawFromFit(lawByName('momentum').fit(fitted, { fromStep: 1000 }), fitted);
    const pilot = { name: 'p', schedule: wsd(15000, 3000), cost: 3000, branchFrom: { run: 'constant_50000', step: 12000 } };
    const profile = scheduleProfile(parseSchedule(pilot.schedule), 15000);
    const steps = pilotSteps(pilot, 15000, 500, 1000);
    expect(steps[0]).toBe(12500);
    expect(steps.at(-1)).toBe(15000);
    const log = simulatedLog(law, pilot, profile, steps, { model: law.model, endDeviation: 0.05, startOffset: 0, normal: () => 0 }, 0);
    const curve = predictedLoss(law, profile, steps);
    const off = log.loss.map((y, i) => y - curve[i]);
    expect(off.at(-1)).toBeCloseTo(0.05, 10);
    expect(off[0]).toBeLessThan(0.01);
    for (let i = 1; i < off.length; i++) expect(off[i]).toBeGreaterThanOrEqual(off[i - 1] - 1e-12);
    expect(log.anneals).toBe(true);
    // a branch starts where its run was logged: the law's miss there is carried along
    const offset = branchOffset(law, law.model, fitted[0], 12000);
    const from = simulatedLog(law, pilot, profile, steps, { model: law.model, endDeviation: 0, startOffset: offset, normal: () => 0 }, 0);
    expect(from.loss[0] - curve[0]).toBeCloseTo(offset, 12);
    expect(offset).toBeCloseTo(loggedLossAt(fitted[0], 12000) - predictedLoss(law, fitted[0].lr, [12000])[0], 12);
  });

  it('a pilot of a billion steps is simulated on at most MAX_PILOT_POINTS points, ending at its last step', () => {
    const pilot = { name: 'long', schedule: 'constant:peak=2e-3,warmup=300,total=1000000000', cost: 1e9 };
    const steps = pilotSteps(pilot, 1e9, 1, 1000);
    expect(steps.length).toBeLessThanOrEqual(MAX_PILOT_POINTS + 1);
    expect(steps.at(-1)).toBe(1e9);
    expect(steps.every((s, i) => i === 0 || s > steps[i - 1])).toBe(true);
    expect(pilotSteps({ ...pilot, branchFrom: { run: 'x', step: 12000 } }, 15000, 100, 1000)).toHaveLength(30); // short pilots keep the runs' own spacing
  });

  it('stratified truths: one draw in each stratum of the sorted regrets, never more draws than there are', () => {
    const regret = Float64Array.from({ length: 100 }, (_, k) => (k * 37) % 100);
    const picked = stratifiedDraws(regret, 4, 3).map((k) => regret[k]);
    picked.forEach((r, q) => expect(r >= 25 * q && r < 25 * (q + 1)).toBe(true));
    expect(stratifiedDraws(regret, 4, 3)).toEqual(stratifiedDraws(regret, 4, 3)); // seeded
    const few = stratifiedDraws(regret.subarray(0, 5), 64, 1);
    expect(new Set(few).size).toBe(5);
  });
});

describe('the value of a pilot (real 124M sweep)', () => {
  const candidates = [0.2, 0.6, 0.9].map((d) => ({ name: `wsd ${d}`, spec: wsd(50000, d) })).concat([{ name: 'wsd 0.2 1-sqrt', spec: wsd(50000, 0.2, '1-sqrt') }]);
  const pilots = [
    { name: 'cooldown 10 %', schedule: wsd(15000, 0.1), cost: 1500, branchFrom: { run: 'constant_50000', step: 13500 } },
    { name: 'cooldown 40 %', schedule: wsd(15000, 0.4), cost: 6000, branchFrom: { run: 'constant_50000', step: 9000 } },
  ];
  const momentumLaw = (() => {
    const fit = lawByName('momentum').fit(fitted, { fromStep: 1000 });
    return lawFromFit(fit, fitted, bootstrapFit(fitted, fit, { fromStep: 1000 }, { samples: 40 }));
  })();

  it('the momentum law keeps its pick after every pilot: worth nothing, and the verdict says its form is the limit', () => {
    const s = valueOfPilots({ law: momentumLaw, runs: fitted, fitOptions: { fromStep: 1000 }, candidates, pilots, simulations: 3 });
    expect(s.clear).toBe(false);
    for (const p of s.pilots) {
      expect(p.changes).toBe(0);
      expect(p.value).toBe(0);
      expect(p.worth).toBe(false);
    }
    expect(suggestionVerdict(s).text).toMatch(/^No pilot on the menu is worth its cost/);
    expect(suggestionVerdict(s).reasons[0]).toMatch(/its form, not its data/);
  });

  it('says when every refit failed rather than blaming the law', () => {
    const s = valueOfPilots({ law: momentumLaw, runs: fitted, fitOptions: { fromStep: 1000 }, candidates, pilots, simulations: 2 });
    const failing = { ...s, clear: false, pilots: s.pilots.map((p) => ({ ...p, failed: s.simulations, changes: 0, worth: false })) };
    expect(suggestionVerdict(failing).reasons[0]).toMatch(/every refit with a simulated log failed for cooldown 10 %, cooldown 40 %/);
  });

  it('a pilot that looks worth it only within the simulations\' error is named as unsure, with more simulations to tell', () => {
    const s = valueOfPilots({ law: momentumLaw, runs: fitted, fitOptions: { fromStep: 1000 }, candidates, pilots, simulations: 2 });
    const [first, ...rest] = s.pilots;
    const unsure = { ...s, clear: false, pilots: [{ ...first, value: 2 * s.threshold, valueError: 4 * s.threshold, worth: false }, ...rest] };
    expect(suggestionVerdict(unsure).text).toMatch(/^No pilot is clearly worth its cost yet: cooldown (10|40) % .* looks best, \+0\.0010 ± 0\.0020 nats .* within the error of 2 simulations; --simulations 8 would tell/);
  });

  it('when one candidate is clearly best, no pilot is needed', () => {
    const s = valueOfPilots({ law: momentumLaw, runs: fitted, fitOptions: { fromStep: 1000 }, candidates: [{ name: 'cosine to 0', spec: 'cosine:peak=2e-3,warmup=300,total=50000,final=0' }, { name: 'constant', spec: 'constant:peak=2e-3,warmup=300,total=50000' }], pilots, simulations: 2 });
    expect(s.recommended.name).toBe('cosine to 0');
    expect(s.clear).toBe(true);
    expect(suggestionVerdict(s).text).toMatch(/^No pilot needed/);
  });
});

describe('suggest on several cores', () => {
  it('gives the same answer as in one thread, pick for pick (the compiled library: workers run compiled JavaScript)', async () => {
    const lib = await import('../dist/index.js');
    const fit = lib.fitLaw(fitted, { model: 'mpl', fromStep: 1000 });
    const law = lib.lawFromFit(fit, fitted, lib.bootstrapFit(fitted, fit, { fromStep: 1000 }, { samples: 20 }));
    const input = { law, runs: fitted, fitOptions: { fromStep: 1000 }, candidates: [0.2, 0.8].map((d) => ({ name: `wsd ${d}`, spec: wsd(50000, d) })), pilots: lib.defaultMenu(fitted).slice(0, 2), simulations: 2 };
    const one = lib.valueOfPilots(input);
    const seen: number[] = [];
    const many = await lib.valueOfPilotsParallel({ ...input, onProgress: (done: number) => seen.push(done) }, 2);
    expect(JSON.stringify(many)).toBe(JSON.stringify(one));
    expect(seen.at(-1)).toBe(4);
  });
});

describe('losscast suggest', () => {
  it('refuses what it cannot weigh in one line with exit 2', () => {
    const big = pilotsFile('big.json', { pilots: Array.from({ length: 10000 }, (_, i) => ({ name: `p${i}`, schedule: wsd(15000, 0.1) })) });
    for (const args of [
      ['--params', 'x.json', '--schedule', wsd(50000, 0.2), '--schedule', wsd(50000, 0.6)],
      ['--fit', CONST, '--schedule', wsd(50000, 0.2), '--schedule', wsd(50000, 0.6), '--pilots', big],
      ['--fit', CONST, '--schedule', wsd(50000, 0.2)],
      ['--fit', CONST, '--schedule', wsd(50000, 0.2), '--schedule', wsd(50000, 0.6), '--simulations', '1000'],
    ]) {
      const r = runCli(['suggest', ...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    }
  });

  it('closes the loop: compare --before sets the earlier decision beside the one with the pilot added', () => {
    const args = ['--from-step', '1000', '--model', 'momentum', '--samples', '30', '--schedule', wsd(50000, 0.2), '--schedule', wsd(50000, 0.6), '--schedule', wsd(50000, 0.2, '1-sqrt')];
    const before = runCli(['compare', '--fit', CONST, '--fit', COS, ...args, '--json']);
    expect(before.code, before.stderr).toBe(0);
    const path = pilotsFile('before.json', before.stdout);
    const pilot = `${SWEEP}wsd-linear-0.1_15000.val.csv@${wsd(15000, 0.1)}`;
    const after = runCli(['compare', '--fit', CONST, '--fit', COS, '--fit', pilot, ...args, '--before', path, '--json']);
    expect(after.code, after.stderr).toBe(0);
    const doc = JSON.parse(after.stdout) as { ranking: { name: string; pBest: number }[]; beforeAfter: { changed: boolean; text: string; before: { pick: string }; after: { pick: string; pBest: number }; candidates: { name: string; before: { rank: number } | null }[] } };
    const earlier = JSON.parse(before.stdout) as { ranking: { name: string }[] };
    expect(doc.beforeAfter.before.pick).toBe(earlier.ranking[0].name);
    expect(doc.beforeAfter.after.pick).toBe(doc.ranking[0].name);
    expect(doc.beforeAfter.after.pBest).toBe(doc.ranking[0].pBest);
    expect(doc.beforeAfter.changed).toBe(earlier.ranking[0].name !== doc.ranking[0].name);
    expect(doc.beforeAfter.text).toMatch(doc.beforeAfter.changed ? /changed the pick/ : /confirm the pick/);
    expect(doc.beforeAfter.candidates.every((c) => c.before !== null)).toBe(true);
    const ajv = new Ajv2020({ allowUnionTypes: true, strict: true });
    for (const f of readdirSync(`${ROOT}docs/schema/`)) ajv.addSchema(JSON.parse(readFileSync(`${ROOT}docs/schema/${f}`, 'utf8')));
    const check = ajv.getSchema('https://losscast.dev/schema/v1/compare.json')!;
    expect(check(doc), JSON.stringify(check.errors)).toBe(true);
    const text = runCli(['compare', '--fit', CONST, '--fit', COS, '--fit', pilot, ...args, '--before', path, '--no-chart']);
    expect(text.stdout.split('\n')[0]).toMatch(/^The new runs (changed|confirm) the pick/);
    const bad = runCli(['compare', '--fit', CONST, ...args, '--before', pilotsFile('not-compare.json', { command: 'fit' })]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a losscast compare --json document/);
  });

  it('ranks a menu in the terminal, within 100 columns', () => {
    const path = pilotsFile('two.json', { pilots: [{ name: 'cooldown 10 %', schedule: wsd(15000, 0.1), branchFrom: 'constant_50000@13500' }, { name: 'cosine 15k', schedule: 'cosine:peak=2e-3,warmup=300,total=15000,final=0.0002' }] });
    const r = runCli(['suggest', '--fit', CONST, '--fit', COS, '--from-step', '1000', '--model', 'momentum', '--samples', '30', '--simulations', '2', '--schedule', wsd(50000, 0.2), '--schedule', wsd(50000, 0.6), '--schedule', wsd(50000, 0.9), '--schedule', wsd(50000, 0.2, '1-sqrt'), '--pilots', path], { env: { COLUMNS: '100' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^No pilot on the menu is worth its cost/);
    expect(r.stdout).toContain('cooldown 10 %');
    expect(r.stdout).toContain('cosine 15k');
    for (const line of r.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});
