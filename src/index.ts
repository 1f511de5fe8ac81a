/**
 * losscast as a library: read logs, fit the LR-annealing law, simulate and rank schedules.
 * The CLI is a thin layer over exactly these functions.
 */
export { LosscastError, EXIT_BAD_DATA, EXIT_USAGE, EXIT_CHECK_FAILED } from './errors.js';
export type { Warning } from './warnings.js';
export type { Curve, Series, SkipNote } from './io/curve.js';
export { readLog, detectFormat, formatByName, LOG_FORMATS, type ReadLogOptions } from './io/read-log.js';
export type { LogFormat, ReadOptions } from './io/formats/types.js';
export { loadRun, loadCurve, labelFor, type LoadRunOptions } from './io/load-run.js';
export { stitchAfterParent } from './io/stitch.js';
export { inspectLog, describeCurve, type LogReport } from './io/inspect.js';
export { readManifest, loadManifestRun, type Manifest, type ManifestEntry, type Role } from './io/manifest.js';
export { chooseColumns, COLUMN_ALIASES } from './io/columns.js';
export { forwardArea, annealingArea, warmupAsPeak, findWarmupEnd } from './law/areas.js';
export { type LawParams, DEFAULT_LAMBDA, lawLoss } from './law/momentum-law.js';
export { lossAtSteps, effectiveLrs } from './law/evaluate-law.js';
export { prepareRun, rebuildPerStepLr, chooseSeries, type Run, type RunInput, type LrSource } from './fit/run.js';
export { fitLaw, type FitOptions, type FitResult, type RunFit, type Weighting } from './fit/fit-law.js';
export { scoreCurve, averageMetrics, movingAverage, type Metrics } from './fit/metrics.js';
export { huber, HUBER_DELTA } from './fit/huber.js';
export { parseSchedule, scheduleLrs, type Schedule } from './schedule/schedule.js';
export { parseSpec, splitLogArgument } from './schedule/spec.js';
export { FAMILIES, familyByName, COOLDOWN_SHAPES } from './schedule/families.js';
export { type FittedLaw, lawFromFit, readParamsFile } from './predict/fitted-law.js';
export { simulate, finalLoss, lossAt, type Prediction } from './predict/simulate.js';
export { expandSweep, nameCandidates, readCandidatesFile, type Candidate } from './predict/candidates.js';
export { rankCandidates, type Ranking } from './predict/rank.js';
export { evaluateSplit, evaluateLeaveOneOut, scoreRun, type Evaluation, type ScoredRun } from './predict/evaluate.js';
export { checkRun, checkBest, type CheckResult, type BestCheck } from './predict/check.js';
export { renderChart, type ChartSeries } from './render/chart.js';
export { SCHEMA_VERSION } from './render/json.js';
