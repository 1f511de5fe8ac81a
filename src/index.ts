/**
 * losscast as a library: read logs, fit a loss-curve law (the momentum law or the Multi-Power
 * Law) with its bootstrap, simulate, rank and optimise schedules, evaluate on held-out runs,
 * write HTML reports. The CLI is a thin layer over exactly these functions (docs/api.md).
 */
export { LosscastError, EXIT_BAD_DATA, EXIT_USAGE, EXIT_CHECK_FAILED, EXIT_NO_PREDICTION } from './errors.js';
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
export type { Law, Model, ModelName, Params, ParamSpec, LawSettings, FitOptions, FitResult, RunFit, ParamAtBound, MplWarmup, BlockPlan, BlockObjective, Refitter } from './law/types.js';
export { LAWS, DEFAULT_MODEL, lawByName, fitLaw, modelLoss } from './law/registry.js';
export { momentumLaw } from './law/momentum/index.js';
export { momentumAreas } from './law/momentum/areas.js';
export { type MomentumParams, DEFAULT_LAMBDA, momentumLoss, momentumLossAt } from './law/momentum/law.js';
export { mplLaw } from './law/mpl/index.js';
export { type MplParams, mplLossAt, mplLossAtMany } from './law/mpl/law.js';
export type { Weighting } from './fit/points.js';
export { scoreCurve, averageMetrics, movingAverage, type Metrics } from './fit/metrics.js';
export { huber, HUBER_DELTA } from './fit/huber.js';
export { parseSchedule, scheduleProfile, scheduleFromValues, MAX_TOTAL_STEPS, MAX_CHANGING_STEPS, type Schedule } from './schedule/schedule.js';
export { parseSpec, splitLogArgument } from './schedule/spec.js';
export { FAMILIES, familyByName, COOLDOWN_SHAPES } from './schedule/families.js';
export { type FittedLaw, lawFromFit } from './predict/fitted-law.js';
export { readParamsFile } from './predict/params-file.js';
export { simulate, finalLoss, lossAt, predictionBandOf, type Prediction, type PredictionBand, type SimulateOptions } from './predict/simulate.js';
export { bootstrapFit, parameterIntervals, predictionBand, percentileInterval, DEFAULT_SAMPLES, DEFAULT_NOISE_FLOOR, type Uncertainty, type UncertaintyOptions, type Interval } from './predict/uncertainty.js';
export { bootstrapFitParallel, type ParallelOptions } from './predict/parallel-bootstrap.js';
export { notALoss } from './predict/validity.js';
export { optimizeSchedule, crossCheck, frameOf, type OptimizeOptions, type Optimum, type ScoredSchedule } from './predict/optimize/optimize.js';
export { searchFamily, SEARCH_FAMILIES, type SearchFamily, type FamilyBest, type Frame } from './predict/optimize/family-search.js';
export { optimizeFreeForm, freeFormSpec, DEFAULT_BLOCKS, type FreeFormResult } from './predict/optimize/free-form.js';
export { expandSweep, nameCandidates, readCandidatesFile, type Candidate } from './predict/candidates.js';
export { rankCandidates, type Ranking, type RankedCandidate, type RankOptions, type TieRule } from './predict/rank.js';
export { jointRanking, type JointRanking, type Disagreement } from './predict/disagree.js';
export { evaluateSplit, evaluateLeaveOneOut, scoreRun, pairwiseOrder, type Evaluation, type ScoredRun, type HeldOutAverage, type Calibration, type EvaluateOptions } from './predict/evaluate.js';
export { checkRun, checkBest, type CheckResult, type BestCheck } from './predict/check.js';
export { renderChart, type ChartSeries } from './render/chart.js';
export { SCHEMA_VERSION } from './render/json.js';
export { renderPage, type PageContent, type Section } from './render/html/page.js';
export { svgChart, type SvgChart, type SvgPanel, type SvgSeries, type SvgBand } from './render/html/svg-chart.js';
export { fitSections } from './render/html/fit-html.js';
export { predictSections, compareSections, optimizeSections } from './render/html/prediction-html.js';
export { evaluateSections } from './render/html/evaluate-html.js';
