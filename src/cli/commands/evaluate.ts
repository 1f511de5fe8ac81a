/** `losscast evaluate`: held-out accuracy of the law on the user's own runs. */
import { basename, dirname, relative } from 'node:path';
import type { Command } from 'commander';
import type { Run } from '../../core/run.js';
import { loadManifestRun, readManifest, requireSplit } from '../../io/manifest.js';
import { dataError } from '../../errors.js';
import { evaluateLeaveOneOut, evaluateSplit } from '../../predict/evaluate.js';
import { evaluateDecision, renderEvaluateReport } from '../../render/evaluate-report.js';
import { evaluateJson } from '../../render/json.js';
import { terminalWidth } from '../../render/style.js';
import { makeOutput, printJson } from '../output.js';
import { writeHtml } from '../html.js';
import { lawByName } from '../../law/registry.js';
import { evaluateSections } from '../../render/html/evaluate-html.js';
import { addFitOptions, fitOptions, type FitOptionValues, ignoredOptionWarnings, modelsOf, parseWhole } from '../options.js';
import { makeProgress } from '../progress.js';
import { readAnnealPrior } from '../../predict/prior.js';
import { addUncertaintyOptions, uncertaintyOptions, type UncertaintyOptionValues } from '../uncertainty.js';

interface EvaluateOptions extends FitOptionValues, UncertaintyOptionValues {
  leaveOneOut?: boolean;
  smooth?: number;
  json?: boolean;
  chart: boolean;
  quiet?: boolean;
  html?: string;
}

/** Registers the command. */
export function registerEvaluate(program: Command): void {
  const cmd = program
    .command('evaluate')
    .summary('held-out accuracy: fit some runs, predict the others, score the predictions')
    .description(
      'Fit the law on the runs a manifest marks "train" and score its predictions of the runs marked "test"\n(or, with --leave-one-out, predict each run from a fit on all the others). Metrics: R², MAE, RMSE,\nPredE = mean |pred − obs| / obs, WorstE = max |pred − obs| / obs, averaged over the held-out runs;\nthe endpoint error |pred − obs| at each run\'s last scored step (mean and worst); and the pairwise\norder: of the pairs of held-out runs of equal length, the share whose final order the law gets right.\nEvery run is scored on the fit window: from --from-step (default: the end of its warmup) to --to-step.',
    )
    .argument('<manifest>', 'JSON or YAML: {"runs": [{"file", "schedule"?, "series"?, "role"?: "train"|"test"|"candidate", "label"?, "toStep"?, "finalLoss"?, "group"?}]}');
  addFitOptions(cmd);
  addUncertaintyOptions(cmd);
  cmd
    .option('--leave-one-out', 'predict each run from a fit on all the others (roles ignored)')
    .option('--smooth <n>', 'score against a centred moving average of N points (noisy per-step loss)', parseWhole, 1)
    .option('--json', 'print one JSON document (byte-identical for the same input)')
    .option('--no-chart', 'do not draw the charts')
    .option('--html <file>', 'also write a self-contained HTML report (charts and tables) to FILE')
    .option('-q, --quiet', 'no warnings or progress on stderr')
    .addHelpText(
      'after',
      `
Manifest (paths relative to the manifest):
  { "runs": [
      { "file": "cosine_24000.csv", "schedule": "cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5", "role": "train" },
      { "file": "wsd.csv", "schedule": "wsd:peak=3e-4,warmup=2160,total=24000,decay=0.2", "role": "test", "label": "wsd-20%" } ] }

Ranking mode: runs with "role": "candidate" are held out like "test" runs and also ranked
against the other candidates of their group ("group", default: the schedule's length) by their
observed final loss ("finalLoss" when the log's last point is not the number to rank by, e.g. a
full validation pass after the last step). Printed per group: Spearman, regret (observed loss of
the pick minus the observed best), each candidate's P(best); then how many candidates' intervals
hold their last logged loss, the confident mistakes (P(best) ≥ 50 % on a candidate worse than its
group's best by more than the noise floor) and the P(best) calibration.

Examples:
  losscast evaluate bench/accuracy/mpl-100M.json
  losscast evaluate bench/accuracy/lr-sweep-124m.json --from-step 1000     # a ranking of 17 candidates
  losscast evaluate runs.yaml --leave-one-out --fit-lambda
  losscast evaluate runs.json --smooth 50 --json | jq .average.mae

Exit codes: 0 success, 1 bad data (manifest or log), 2 usage error.`,
    )
    .action(async (manifestPath: string, o: EvaluateOptions) => {
      const out = makeOutput(o);
      const manifest = readManifest(manifestPath);
      if (o.leaveOneOut && manifest.runs.length < 2) throw dataError('leave-one-out needs at least 2 runs', manifestPath);
      if (!o.leaveOneOut) requireSplit(manifest);
      const progress = makeProgress(o);
      const runs: Run[] = [];
      for (let i = 0; i < manifest.runs.length; i++) {
        progress.update('reading runs', i, manifest.runs.length);
        runs.push(await loadManifestRun(manifest, i));
      }
      const model = modelsOf(o)[0];
      for (const w of ignoredOptionWarnings(model, o)) out.warn(w);
      const options = { ...fitOptions(o), ...uncertaintyOptions(o), model, smooth: o.smooth ?? 1, lawError: o.lawError, ...(o.prior?.length ? { annealPrior: readAnnealPrior(o.prior) } : {}) };
      const evaluation = o.leaveOneOut
        ? evaluateLeaveOneOut(runs, options, (done, total) => progress.update('leave-one-out fits', done, total))
        : evaluateSplit(runs, manifest.runs.map((r) => r.role), options, manifest.runs.map((r) => ({ finalLoss: r.finalLoss, group: r.group })));
      progress.end();
      const warnings = runs.flatMap((r) => r.warnings);
      if (o.html) writeHtml(o.html, { title: `Held-out accuracy of ${basename(manifestPath)}`, subtitle: `losscast evaluate report (${lawByName(evaluation.fit.model.law).title}, ${evaluation.mode}): how well the law predicts runs it did not see, and how often its intervals cover them.`, decision: evaluateDecision(evaluation), sections: evaluateSections(evaluation, runs), warnings: [...warnings, ...evaluation.fit.notes] }, out);
      if (o.json) {
        const base = dirname(manifestPath);
        printJson(evaluateJson(evaluation, { path: manifestPath, files: manifest.runs.map((r) => relative(base, r.file).split('\\').join('/')) }, warnings));
        return;
      }
      for (const w of [...warnings, ...evaluation.fit.notes]) out.warn(w);
      out.result(renderEvaluateReport(evaluation, { color: out.color, width: terminalWidth(), chart: o.chart, warnings: [...warnings, ...evaluation.fit.notes] }));
    });
}
