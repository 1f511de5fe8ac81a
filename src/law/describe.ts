/** The per-run report of a fit (observed vs fitted at the used points), shared by every law. */
import { type Metrics, scoreCurve } from '../fit/metrics.js';
import type { SelectedPoints } from '../fit/points.js';
import type { RunFit } from './types.js';

/** Describes one run of a fit: its points, window and quality; `fitted` holds the law's loss at the selected points. */
export function describeRun(selected: SelectedPoints, fitted: ArrayLike<number>): RunFit {
  const { run } = selected;
  const steps = selected.steps;
  const observed = selected.loss;
  const values = Float64Array.from(fitted);
  return {
    label: run.label,
    source: run.source,
    series: run.series,
    lrSource: run.lrSource,
    lrNote: run.lrNote,
    ...(run.schedule ? { schedule: run.schedule } : {}),
    points: run.points,
    kept: run.steps.length,
    used: steps.length,
    warmupEnd: run.lr.warmupEnd,
    fromStep: selected.fromStep,
    toStep: selected.toStep,
    firstLogged: run.steps[0] ?? 0,
    lastLogged: run.steps[run.steps.length - 1] ?? 0,
    metrics: scoreCurve(observed, values),
    skipped: run.skipped,
    steps,
    observed,
    fitted: values,
  };
}

/** Quality over every point of every run. */
export function overallMetrics(runs: readonly RunFit[]): Metrics {
  const n = runs.reduce((a, r) => a + r.observed.length, 0);
  const observed = new Float64Array(n);
  const fitted = new Float64Array(n);
  let k = 0;
  for (const r of runs) {
    observed.set(r.observed, k);
    fitted.set(r.fitted, k);
    k += r.observed.length;
  }
  return scoreCurve(observed, fitted);
}
