/**
 * The JSON documents losscast prints with --json (schemaVersion 1). Numbers are plain JSON
 * numbers; a value that is not finite becomes null with a warning entry.
 */
import type { SkipNote } from '../core/curve.js';
import type { Metrics } from '../fit/metrics.js';
import { lawByName } from '../law/registry.js';
import type { FitResult, Model, RunFit } from '../law/types.js';
import type { Evaluation } from '../predict/evaluate.js';
import type { RankingScore } from '../predict/ranking-score.js';
import { parameterIntervals, type Uncertainty } from '../predict/uncertainty.js';
import type { Warning } from '../warnings.js';
import type { ScheduleShape } from '../verdict/distance.js';

/** Version of every --json document; bumped on any breaking change. */
export const SCHEMA_VERSION = 1;

/** A finite number, or null (and a warning pushed to `warnings`) when it is NaN or infinite. */
export function finite(value: number, what: string, warnings: Warning[]): number | null {
  if (Number.isFinite(value)) return value;
  warnings.push({ code: 'non-finite', message: `${what} is not a finite number` });
  return null;
}

/** An interval as JSON: {lo, hi}, each finite or null with a warning. */
export function intervalJson(i: { lo: number; hi: number }, what: string, warnings: Warning[]) {
  return { lo: finite(i.lo, `${what} lo`, warnings), hi: finite(i.hi, `${what} hi`, warnings) };
}

/** Metrics as JSON. */
export function metricsJson(m: Metrics, what: string, warnings: Warning[]) {
  return {
    r2: finite(m.r2, `${what} r2`, warnings),
    mae: finite(m.mae, `${what} mae`, warnings),
    rmse: finite(m.rmse, `${what} rmse`, warnings),
    predE: finite(m.predE, `${what} predE`, warnings),
    worstE: finite(m.worstE, `${what} worstE`, warnings),
    points: m.n,
  };
}

/** The JSON name of a model's law ("momentum-law", "multi-power-law"). */
export function modelJsonName(model: Model): string {
  return lawByName(model.law).jsonName;
}

/** A model's parameters as JSON, in the law's order. */
export function paramsJson(model: Model, warnings: Warning[]): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const spec of lawByName(model.law).params) out[spec.name] = finite(model.params[spec.name], spec.name, warnings);
  return out;
}

/** The settings that change how a model predicts (saved with it). */
function modelSettingsJson(model: Model) {
  return lawByName(model.law).settingsJson(model.settings);
}

function runJson(r: RunFit, peakLr: number, skipped: SkipNote[], warnings: Warning[], shape?: ScheduleShape) {
  return {
    label: r.label,
    source: r.source,
    series: r.series,
    lrSource: r.lrSource,
    lrNote: r.lrNote,
    schedule: r.schedule ?? null,
    peakLr,
    points: r.points,
    kept: r.kept,
    used: r.used,
    warmupEnd: r.warmupEnd,
    fromStep: r.fromStep,
    toStep: r.toStep,
    firstLogged: r.firstLogged,
    lastLogged: r.lastLogged,
    finalObserved: r.observed[r.observed.length - 1],
    finalFitted: finite(r.fitted[r.fitted.length - 1], `${r.label} final fitted loss`, warnings),
    metrics: metricsJson(r.metrics, r.label, warnings),
    skipped: skipped.map((s) => ({ reason: s.reason, count: s.count, firstLine: s.firstLine ?? null, ...(s.unit ? { unit: s.unit } : {}) })),
    ...(shape ? { shape } : {}),
  };
}

/** A bootstrap as JSON: its settings, each parameter's interval, and the refitted parameters (one row per resample, in the law's order). */
export function bootstrapJson(u: Uncertainty, model: Model, warnings: Warning[]) {
  const specs = lawByName(model.law).params;
  const intervals = parameterIntervals(u, specs);
  return {
    intervals: Object.fromEntries(specs.map((s) => [s.name, intervalJson(intervals[s.name], `${s.name} interval`, warnings)])),
    bootstrap: { samples: u.samples, seed: u.seed, level: u.level, noiseFloor: u.noiseFloor, scatter: u.scatter, method: u.method, params: u.models.map((m) => specs.map((s) => m.params[s.name])) },
  };
}

/** The document `losscast fit --json` prints and `-o params.json` saves. */
export function fitJson(fit: FitResult, extra: { peakLrs: number[]; skipped: SkipNote[][]; warnings: Warning[]; uncertainty?: Uncertainty; shapes?: ScheduleShape[] }) {
  const warnings: Warning[] = [...extra.warnings, ...fit.notes];
  const doc = {
    schemaVersion: SCHEMA_VERSION,
    command: 'fit',
    model: modelJsonName(fit.model),
    params: paramsJson(fit.model, warnings),
    metrics: metricsJson(fit.metrics, 'fit', warnings),
    objective: finite(fit.objective, 'objective', warnings),
    settings: {
      ...modelSettingsJson(fit.model),
      fitLambda: fit.fitLambda,
      huberDelta: fit.delta,
      weighting: fit.weighting,
      cIdentifiable: fit.held.length === 0,
      held: fit.held,
    },
    atBound: fit.atBound.map((b) => ({ name: b.name, value: b.value, bound: b.bound, limit: b.limit })),
    starts: fit.starts ?? null,
    ...(extra.uncertainty ? bootstrapJson(extra.uncertainty, fit.model, warnings) : { intervals: null, bootstrap: null }),
    runs: fit.runs.map((r, i) => runJson(r, extra.peakLrs[i], extra.skipped[i], warnings, extra.shapes?.[i])),
    warnings: [] as Warning[],
  };
  doc.warnings = warnings;
  return doc;
}

/** The ranking part of an evaluation as JSON. */
function rankingScoreJson(r: RankingScore, warnings: Warning[]) {
  return {
    groups: r.groups.map((g) => ({
      group: g.group,
      spearman: g.spearman,
      regret: finite(g.regret, `${g.group} regret`, warnings),
      pick: g.pick,
      pickPBest: g.pickPBest ?? null,
      candidates: g.candidates.map((c) => ({
        label: c.label,
        schedule: c.schedule,
        predicted: finite(c.predicted, `${c.label} predicted final loss`, warnings),
        observed: c.observed,
        predictedRank: c.predictedRank,
        observedRank: c.observedRank,
        observedGap: c.observedGap,
        pBest: c.pBest ?? null,
        interval: c.interval ? intervalJson(c.interval, `${c.label} final-loss interval`, warnings) : null,
        tie: c.tie,
      })),
    })),
    confidentMistakes: r.confidentMistakes,
    pBestCalibration: r.calibration,
    noiseFloor: r.noiseFloor,
    coverage: r.coverage ? { level: r.coverage.level, inside: Math.round(r.coverage.endpointCoverage * r.coverage.endpoints), candidates: r.coverage.endpoints, medianWidth: finite(r.coverage.medianWidth, 'candidates median width', warnings) } : null,
  };
}

/** The --json document of `evaluate`; `file` paths are given relative to the manifest, so the output is the same on every machine. */
export function evaluateJson(e: Evaluation, manifest: { path: string; files: string[] }, runWarnings: Warning[]) {
  const warnings: Warning[] = [...runWarnings, ...e.fit.notes];
  const doc = {
    schemaVersion: SCHEMA_VERSION,
    command: 'evaluate',
    model: modelJsonName(e.fit.model),
    mode: e.mode,
    manifest: manifest.path,
    settings: {
      ...modelSettingsJson(e.fit.model),
      fitLambda: e.fit.fitLambda,
      huberDelta: e.fit.delta,
      weighting: e.fit.weighting,
      smooth: e.smooth,
    },
    params: paramsJson(e.fit.model, warnings),
    runs: e.runs.map((r, i) => ({
      label: r.label,
      role: r.role,
      file: manifest.files[i],
      series: r.series,
      fromStep: r.fromStep,
      toStep: r.toStep,
      metrics: { ...metricsJson(r.metrics, r.label, warnings), endpointError: finite(Math.abs(r.finalError), `${r.label} endpoint error`, warnings) },
      finalObserved: finite(r.finalObserved, `${r.label} final observed loss`, warnings),
      finalPredicted: finite(r.finalPredicted, `${r.label} final predicted loss`, warnings),
      finalError: finite(r.finalError, `${r.label} final error`, warnings),
      params: r.model ? paramsJson(r.model, warnings) : null,
      interval: r.interval ? intervalJson(r.interval, `${r.label} interval`, warnings) : null,
    })),
    average: {
      ...(({ points: _points, ...m }) => m)(metricsJson(e.average, 'average', warnings)),
      endpointError: finite(e.average.endpointError, 'average endpoint error', warnings),
      endpointWorst: finite(e.average.endpointWorst, 'worst endpoint error', warnings),
      pairwiseOrder: e.average.pairwiseOrder,
      pairs: e.average.pairs,
    },
    calibration: e.calibration
      ? {
          level: e.calibration.level,
          endpointCoverage: e.calibration.endpointCoverage,
          pointCoverage: e.calibration.pointCoverage,
          medianWidth: finite(e.calibration.medianWidth, 'median interval width', warnings),
          endpoints: e.calibration.endpoints,
          points: e.calibration.points,
          samples: e.calibration.samples,
        }
      : null,
    ranking: e.ranking ? rankingScoreJson(e.ranking, warnings) : null,
    warnings: [] as Warning[],
  };
  doc.warnings = warnings;
  return doc;
}
