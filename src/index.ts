/**
 * losscast as a library: read logs, fit a loss-curve law (the momentum law or the Multi-Power
 * Law), simulate and rank schedules, evaluate on held-out runs. The CLI is a thin layer over
 * exactly these functions.
 */
export { LosscastError, EXIT_BAD_DATA, EXIT_USAGE, EXIT_CHECK_FAILED } from './errors.js';
export type { Warning } from './warnings.js';
export type { Curve, Series, SkipNote } from './core/curve.js';
export type { Run, SeriesName, LrSource } from './core/run.js';
export { type LrProfile, type LrSegment, makeProfile, profileFromValues, profileFromPoints, lrAt, lrsAt, forwardAreaAt, truncateProfile } from './core/lr-profile.js';
export { readLog, detectFormat, formatByName, LOG_FORMATS, type ReadLogOptions } from './io/read-log.js';
export type { LogFormat, ReadOptions } from './io/formats/types.js';
export { loadRun, loadCurve, labelFor, type LoadRunOptions } from './io/load-run.js';
export { prepareRun, rebuildLrProfile, chooseSeries, type RunInput } from './io/prepare-run.js';
export { stitchAfterParent } from './io/stitch.js';
export { inspectLog, describeCurve, type LogReport } from './io/inspect.js';
export { readManifest, loadManifestRun, type Manifest, type ManifestEntry, type Role } from './io/manifest.js';
export { chooseColumns, COLUMN_ALIASES } from './io/columns.js';
export type { Law, Model, ModelName, Params, ParamSpec, LawSettings, FitOptions, FitResult, RunFit, ParamAtBound, MplWarmup } from './law/types.js';
export { LAWS, DEFAULT_MODEL, lawByName, fitLaw, modelLoss } from './law/registry.js';
export { momentumLaw } from './law/momentum/index.js';
export { momentumAreas } from './law/momentum/areas.js';
export { type MomentumParams, DEFAULT_LAMBDA, momentumLoss, momentumLossAt } from './law/momentum/law.js';
export { mplLaw } from './law/mpl/index.js';
export { type MplParams, mplLossAt, mplLossAtMany } from './law/mpl/law.js';
export type { Weighting } from './fit/points.js';
export { scoreCurve, averageMetrics, movingAverage, type Metrics } from './fit/metrics.js';
export { huber, HUBER_DELTA } from './fit/huber.js';
export { parseSchedule, scheduleProfile, MAX_TOTAL_STEPS, type Schedule } from './schedule/schedule.js';
export { parseSpec, splitLogArgument } from './schedule/spec.js';
export { FAMILIES, familyByName, COOLDOWN_SHAPES } from './schedule/families.js';
export { type FittedLaw, lawFromFit } from './predict/fitted-law.js';
export { readParamsFile } from './predict/params-file.js';
export { simulate, finalLoss, lossAt, type Prediction } from './predict/simulate.js';
export { expandSweep, nameCandidates, readCandidatesFile, type Candidate } from './predict/candidates.js';
export { rankCandidates, type Ranking, type RankedCandidate } from './predict/rank.js';
export { jointRanking, type JointRanking, type Disagreement } from './predict/disagree.js';
export { evaluateSplit, evaluateLeaveOneOut, scoreRun, pairwiseOrder, type Evaluation, type ScoredRun, type HeldOutAverage } from './predict/evaluate.js';
export { checkRun, checkBest, type CheckResult, type BestCheck } from './predict/check.js';
export { renderChart, type ChartSeries } from './render/chart.js';
export { SCHEMA_VERSION } from './render/json.js';
