/**
 * Issue 24's benchmark on the 124M sweep (validation only: nothing is chosen on it). Fit
 * constant_50000 + cosine-10pct_25000; the pilots are the seven 15k-step runs (the cosine at its
 * full cost, the WSD runs as cooldowns branched from the constant run, costing their decay steps).
 * suggest ranks them; then every pilot's real log (a branch's points after its branch) is added to
 * the fit in turn and the 8 + 9 candidates re-ranked, so the suggested pilot's realised effect can be
 * placed among the seven's.
 */
import type { Run } from '../core/run.js';
import { loadManifestRun, type Manifest, readManifest } from '../io/manifest.js';
import { lawByName } from '../law/registry.js';
import type { ModelName } from '../law/types.js';
import { evaluateSplit } from '../predict/evaluate.js';
import { lawFromFit } from '../predict/fitted-law.js';
import { bootstrapFit } from '../predict/uncertainty.js';
import { renderTable } from '../render/table.js';
import type { Pilot } from '../suggest/pilots.js';
import { valueOfPilots } from '../suggest/value.js';

const FIT = ['constant_50000', 'cosine-10pct_25000'];
const OPTIONS = { fromStep: 1000 };

/** The seven pilots of the issue, from the manifest's 15k runs. */
function sweepPilots(manifest: Manifest): Pilot[] {
  return manifest.runs
    .filter((r) => r.label.endsWith('_15000'))
    .map((r) => {
      const share = /^wsd-linear-([\d.]+)_/.exec(r.label);
      if (!share) return { name: r.label, schedule: r.schedule!, cost: 15000 };
      const cost = Math.round(Number(share[1]) * 15000);
      return { name: r.label, schedule: r.schedule!, cost, branchFrom: { run: 'constant_50000', step: 15000 - cost } };
    });
}

/** A pilot's real log as the user would have it: a branch logs only after its checkpoint. */
function pilotLog(run: Run, pilot: Pilot): Run {
  const from = pilot.branchFrom?.step ?? -1;
  const keep = run.steps.map((s, i) => (s > from ? i : -1)).filter((i) => i >= 0);
  return { ...run, steps: keep.map((i) => run.steps[i]), loss: keep.map((i) => run.loss[i]), points: keep.length };
}

/** The ranking score of the sweep's candidates when the law is fitted on `train` (+ a pilot). */
function scoreWith(runs: readonly Run[], manifest: Manifest, model: ModelName, pilot?: Run) {
  const chosen = manifest.runs.map((r, i) => (FIT.includes(r.label) || r.role === 'candidate' ? i : -1)).filter((i) => i >= 0);
  const all = [...chosen.map((i) => runs[i]), ...(pilot ? [pilot] : [])];
  const roles = [...chosen.map((i) => (FIT.includes(manifest.runs[i].label) ? 'train' : 'candidate')), ...(pilot ? ['train'] : [])] as ('train' | 'candidate')[];
  const infos = [...chosen.map((i) => ({ finalLoss: manifest.runs[i].finalLoss, group: manifest.runs[i].group })), ...(pilot ? [{}] : [])];
  const e = evaluateSplit(all, roles, { model, ...OPTIONS }, infos);
  const r = e.ranking!;
  const candidates = e.runs.filter((x) => x.role === 'candidate');
  const regret50 = r.groups.find((g) => g.pick.endsWith("_50000"))?.regret ?? Number.NaN;
  return {
    regrets: r.groups.map((g) => g.regret),
    regret50,
    endMae: candidates.reduce((a, x) => a + Math.abs(x.finalError), 0) / candidates.length,
    inside: Math.round(r.coverage!.endpointCoverage * r.coverage!.endpoints),
    of: r.coverage!.endpoints,
    mistakes: r.confidentMistakes.length,
  };
}

/** Runs the benchmark for one law and prints its table; true when a target of the issue is missed (auto only). */
export async function suggestSection(models: readonly ModelName[] = ['auto', 'mpl', 'momentum']): Promise<boolean> {
  const manifest = readManifest(new URL('../../bench/accuracy/lr-sweep-124m.json', import.meta.url).pathname);
  const runs: Run[] = [];
  for (let i = 0; i < manifest.runs.length; i++) runs.push(await loadManifestRun(manifest, i));
  const byLabel = (label: string) => runs[manifest.runs.findIndex((r) => r.label === label)];
  const pilots = sweepPilots(manifest);
  const fitted = FIT.map(byLabel);
  const candidates = manifest.runs.filter((r) => r.role === 'candidate' && r.label.endsWith('_50000')).map((r) => ({ name: r.label, spec: r.schedule! }));
  let missed = false;
  for (const model of models) {
    process.stderr.write(`suggest ${model}: fit, bootstrap, ${pilots.length} pilots × 8 simulated logs …\n`);
    const started = Date.now();
    const fit = lawByName(model).fit(fitted, OPTIONS);
    const law = lawFromFit(fit, fitted, bootstrapFit(fitted, fit, OPTIONS, {}));
    const suggestion = valueOfPilots({ law, runs: fitted, fitOptions: OPTIONS, candidates, pilots });
    const seconds = (Date.now() - started) / 1000;
    process.stderr.write(`suggest ${model}: realised effect of each pilot …\n`);
    const before = scoreWith(runs, manifest, model);
    const realised = pilots.map((p) => ({ pilot: p, score: scoreWith(runs, manifest, model, pilotLog(byLabel(p.name), p)) }));
    const gain = (x: (typeof realised)[number]) => [before.regret50 - x.score.regret50, before.endMae - x.score.endMae];
    const better = (a: number[], b: number[]) => a[0] > b[0] + 1e-9 || (Math.abs(a[0] - b[0]) <= 1e-9 && a[1] > b[1]);
    const top = suggestion.pilots[0];
    const chosen = realised.find((x) => x.pilot.name === top.pilot.name)!;
    const place = 1 + realised.filter((x) => better(gain(x), gain(chosen))).length;
    const rows = suggestion.pilots.map((v) => {
      const x = realised.find((r) => r.pilot.name === v.pilot.name)!;
      return [v.pilot.name, v.pilot.cost.toLocaleString('en-US'), `${v.value.toFixed(4)} ± ${v.valueError.toFixed(4)}`, `${Math.round(100 * v.changes)} %`, v.worth ? 'yes' : 'no', x.score.regrets.map((g) => g.toFixed(4)).join(' / '), x.score.endMae.toFixed(4), `${x.score.inside} / ${x.score.of}`, String(x.score.mistakes)];
    });
    const ok = chosen.score.regret50 <= 0.002 && chosen.score.mistakes === 0 && chosen.score.inside >= 14 && place <= Math.floor(pilots.length / 2);
    if (model === 'auto') missed ||= !ok;
    process.stdout.write(`\nsuggest, --model ${model} (${seconds.toFixed(0)} s for the fit, its bootstrap and ${pilots.length} × ${suggestion.simulations} simulated refits): today's pick ${suggestion.recommended.name} (P(best) ${Math.round(100 * suggestion.recommended.pBest)} %), expected regret ${suggestion.recommended.regret.toFixed(4)}; without a pilot the real regret 25k / 50k is ${before.regrets.map((g) => g.toFixed(4)).join(' / ')}, endpoint MAE ${before.endMae.toFixed(4)}, ${before.inside} / ${before.of} inside, ${before.mistakes} confident mistakes.\n`);
    process.stdout.write(`${renderTable(['pilot (suggest order)', 'cost', 'value ± error', 'P(change)', 'worth it', 'real regret 25k / 50k with it', 'endpoint MAE', 'inside', 'confident mistakes'], rows)}\n`);
    process.stdout.write(`top pilot ${top.pilot.name}${top.worth ? '' : ' (suggest: not worth its cost)'}: 50k regret ${chosen.score.regret50.toFixed(4)} (≤ 0.002), ${chosen.score.mistakes} confident mistakes (0), ${chosen.score.inside} / ${chosen.score.of} inside (≥ 14), realised improvement ${place} of ${pilots.length} (50k regret drop, then endpoint MAE; top half = ≤ ${Math.floor(pilots.length / 2)})${model === 'auto' ? (ok ? ': targets met' : ': MISSED') : ''}.\n`);
  }
  return missed;
}
