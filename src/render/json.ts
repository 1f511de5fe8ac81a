/**
 * The JSON documents losscast prints with --json (schemaVersion 1). Numbers are plain JSON
 * numbers; a value that is not finite becomes null with a warning entry.
 */
import type { FitResult, RunFit } from '../fit/fit-law.js';
import type { Metrics } from '../fit/metrics.js';
import type { LawParams } from '../law/momentum-law.js';
import type { Warning } from '../warnings.js';
import type { Evaluation } from '../predict/evaluate.js';

/** Version of every --json document; bumped on any breaking change. */
export const SCHEMA_VERSION = 1;

/** Name of the law in JSON output. */
export const MODEL_NAME = 'momentum-law';

/** A finite number, or null (and a warning pushed to `warnings`) when it is NaN or infinite. */
export function finite(value: number, what: string, warnings: Warning[]): number | null {
  if (Number.isFinite(value)) return value;
  warnings.push({ code: 'non-finite', message: `${what} is not a finite number` });
  return null;
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

/** Law parameters as JSON. */
export function paramsJson(p: LawParams, warnings: Warning[]) {
  return {
    L0: finite(p.L0, 'L0', warnings),
    A: finite(p.A, 'A', warnings),
    alpha: finite(p.alpha, 'alpha', warnings),
    C: finite(p.C, 'C', warnings),
    lambda: finite(p.lambda, 'lambda', warnings),
  };
}

function runJson(r: RunFit, peakLr: number, skipped: { reason: string; count: number; firstLine?: number }[], warnings: Warning[]) {
  return {
    label: r.label,
    source: r.source,
    series: r.series,
    lrSource: r.lrSource,
    lrNote: r.lrNote,
    schedule: r.schedule ?? null,
    peakLr,
    points: r.points,
    used: r.used,
    fromStep: r.fromStep,
    toStep: r.toStep,
    finalObserved: r.observed[r.observed.length - 1],
    finalFitted: finite(r.fitted[r.fitted.length - 1], `${r.label} final fitted loss`, warnings),
    metrics: metricsJson(r.metrics, r.label, warnings),
    skipped: skipped.map((s) => ({ reason: s.reason, count: s.count, firstLine: s.firstLine ?? null })),
  };
}

/** The document `losscast fit --json` prints and `-o params.json` saves. */
export function fitJson(fit: FitResult, extra: { peakLrs: number[]; skipped: { reason: string; count: number; firstLine?: number }[][]; warnings: Warning[] }) {
  const warnings: Warning[] = [...extra.warnings, ...fit.notes];
  const doc = {
    schemaVersion: SCHEMA_VERSION,
    command: 'fit',
    model: MODEL_NAME,
    params: paramsJson(fit.params, warnings),
    metrics: metricsJson(fit.metrics, 'fit', warnings),
    settings: {
      warmupAsPeak: fit.warmupAsPeak,
      fitLambda: fit.fitLambda,
      huberDelta: fit.delta,
      weighting: fit.weighting,
      cIdentifiable: fit.cIdentifiable,
    },
    runs: fit.runs.map((r, i) => runJson(r, extra.peakLrs[i], extra.skipped[i], warnings)),
    warnings: [] as Warning[],
  };
  doc.warnings = warnings;
  return doc;
}

/** The fit document's type (what a params file holds). */
export type FitDocument = ReturnType<typeof fitJson>;

/** The --json document of `evaluate`; `file` paths are given relative to the manifest, so the output is the same on every machine. */
export function evaluateJson(e: Evaluation, manifest: { path: string; files: string[] }, runWarnings: Warning[]) {
  const warnings: Warning[] = [...runWarnings, ...e.fit.notes];
  const doc = {
    schemaVersion: SCHEMA_VERSION,
    command: 'evaluate',
    model: MODEL_NAME,
    mode: e.mode,
    manifest: manifest.path,
    settings: {
      warmupAsPeak: e.fit.warmupAsPeak,
      fitLambda: e.fit.fitLambda,
      huberDelta: e.fit.delta,
      weighting: e.fit.weighting,
      smooth: e.smooth,
    },
    params: paramsJson(e.fit.params, warnings),
    runs: e.runs.map((r, i) => ({
      label: r.label,
      role: r.role,
      file: manifest.files[i],
      series: r.series,
      metrics: metricsJson(r.metrics, r.label, warnings),
      finalObserved: finite(r.finalObserved, `${r.label} final observed loss`, warnings),
      finalPredicted: finite(r.finalPredicted, `${r.label} final predicted loss`, warnings),
      finalError: finite(r.finalError, `${r.label} final error`, warnings),
      params: r.params ? paramsJson(r.params, warnings) : null,
    })),
    average: (({ points: _points, ...m }) => m)(metricsJson(e.average, 'average', warnings)),
    warnings: [] as Warning[],
  };
  doc.warnings = warnings;
  return doc;
}
