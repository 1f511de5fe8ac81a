/** `losscast fit`: fit the law to one or more logs, report parameters, quality and a chart. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { dataError } from '../../errors.js';
import { fitLaw, lawByName } from '../../law/registry.js';
import { fitSections } from '../../render/html/fit-html.js';
import { writeHtml } from '../html.js';
import type { FitResult } from '../../law/types.js';
import type { Uncertainty } from '../../predict/uncertainty.js';
import { fittedShapes, lawFromFit } from '../../predict/fitted-law.js';
import { priorFor } from '../law-source.js';
import type { Warning } from '../../warnings.js';
import { addUncertaintyOptions, bootstrapWithProgress, type UncertaintyOptionValues } from '../uncertainty.js';
import type { Run } from '../../core/run.js';
import { labelFor, loadRun } from '../../io/load-run.js';
import { splitLogArgument } from '../../schedule/spec.js';
import { makeProgress } from '../progress.js';
import { fitDecision, renderFitReport } from '../../render/fit-report.js';
import { fitJson } from '../../render/json.js';
import { terminalWidth } from '../../render/style.js';
import { makeOutput, printJson } from '../output.js';
import { addFitOptions, addLogOptions, fitOptions, type FitOptionValues, ignoredOptionWarnings, loadOptions, type LogOptionValues, modelsOf } from '../options.js';

interface FitCommandOptions extends LogOptionValues, FitOptionValues, UncertaintyOptionValues {
  json?: boolean;
  output?: string;
  html?: string;
  chart: boolean;
  quiet?: boolean;
}

/** Loads every log argument as a Run, with progress on stderr for large logs (see progress.ts). */
export async function loadRuns(logs: readonly string[], o: LogOptionValues & { json?: boolean; quiet?: boolean }): Promise<Run[]> {
  const runs: Run[] = [];
  const progress = makeProgress(o);
  for (const log of logs) {
    const name = labelFor(splitLogArgument(log).path);
    runs.push(await loadRun(log, { ...loadOptions(o), onProgress: (done, total) => progress.update(`reading ${name}`, done, total, 'bytes') }));
  }
  progress.end();
  return runs;
}

/** Builds the fit JSON document for a fit of `runs` (with its bootstrap and the bootstrap's notes, when made). */
export function fitDocument(fit: FitResult, runs: readonly Run[], uncertainty?: Uncertainty, notes: readonly Warning[] = []) {
  return fitJson(fit, { peakLrs: runs.map((r) => r.lr.peak), skipped: runs.map((r) => r.skipped), warnings: [...runs.flatMap((r) => r.warnings), ...notes], uncertainty, shapes: fittedShapes(fit, runs) });
}

/** Registers the command. */
export function registerFit(program: Command): void {
  const cmd = program
    .command('fit')
    .summary('fit a loss-curve law to training logs')
    .description('Fit a law to one or more logs jointly (one parameter set). Each LOG may carry its own schedule as PATH@SPEC; --schedule applies to logs without one.')
    .argument('<logs...>', 'log files (CSV/TSV, JSON lines, JSON array; "-" for stdin), each optionally PATH@SPEC');
  addLogOptions(cmd);
  addFitOptions(cmd);
  addUncertaintyOptions(cmd);
  cmd
    .option('-o, --output <file>', 'save the fitted law as a params file for predict/compare')
    .option('--json', 'print one JSON document on stdout (no chart, no colour)')
    .option('--no-chart', 'do not draw the charts')
    .option('--html <file>', 'also write a self-contained HTML report (charts and tables) to FILE')
    .option('-q, --quiet', 'no warnings on stderr (errors still shown)')
    .addHelpText(
      'after',
      `
The laws (--model):
  auto      the default: both laws below, averaged with a weight chosen by how
            well each predicts held-out parts of your runs (runs left out, and
            the tails of annealing runs); predictions carry the laws' own error.
  momentum  L(s) = L0 + A·S1(s)^(−α) − C·S2(s) (Tissue et al. 2024). Four
            parameters and a momentum λ: robust with one or two runs, fits in
            milliseconds; it tells cooldown shapes apart less finely.
  mpl       the Multi-Power Law (Luo et al. 2025), seven parameters: each LR
            drop gets its own power-law response. The better bet for a
            cooldown's shape and length when a fitted run has a real cooldown
            (WSD, step); with cosine and constant runs only, its drop
            parameters are weakly identified (losscast warns).

Every fit is bootstrapped (--samples, default 200): each parameter gets an
interval, saved with -o for predict and compare.

Examples:
  losscast fit fixtures/mpl-400M/cosine_24000.csv --schedule "cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5"
  losscast fit "cos.csv@cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5" "const.csv@constant:peak=3e-4,warmup=2160" -o params.json
  losscast fit runs/*.csv --json > fit.json
  losscast fit metrics.jsonl --loss-col train/loss --lr-col lr --from-step 1000 -o params.json
  losscast fit "cos.csv@cosine:…" "wsd.csv@wsd:…" --model mpl -o mpl-params.json

Exit codes: 0 success, 1 bad data, 2 usage error.`,
    )
    .action(async (logs: string[], o: FitCommandOptions) => {
      const out = makeOutput(o);
      const runs = await loadRuns(logs, o);
      const model = modelsOf(o)[0];
      const ignored = ignoredOptionWarnings(model, o);
      const fit = fitLaw(runs, { ...fitOptions(o), model });
      const { uncertainty, notes } = await bootstrapWithProgress(runs, fit, fitOptions(o), o);
      const { annealPrior, note } = priorFor(lawFromFit(fit, runs), o.prior);
      const doc = { ...fitDocument(fit, runs, uncertainty, [...ignored, ...notes, ...(note ? [note] : [])]), ...(annealPrior ? { annealPrior } : {}) };
      if (o.output) {
        try {
          writeFileSync(o.output, `${JSON.stringify(doc, null, 2)}\n`);
        } catch (err) {
          throw dataError(`cannot write the params file (${(err as NodeJS.ErrnoException).code ?? err})`, o.output);
        }
      }
      if (o.html) writeHtml(o.html, { title: `Fit of the ${lawByName(fit.model.law).title} to ${runs.length} run${runs.length > 1 ? 's' : ''}`, subtitle: 'losscast fit report: the fitted law, its intervals, and each run observed against the fit.', decision: fitDecision(fit, runs, uncertainty), sections: fitSections(fit, runs, uncertainty), warnings: doc.warnings }, out);
      if (o.json) {
        printJson(doc);
        return;
      }
      for (const w of doc.warnings) out.warn(w);
      out.result(renderFitReport(fit, { color: out.color, width: terminalWidth(), chart: o.chart, uncertainty, runs, warnings: doc.warnings }));
      if (o.output) out.info(`saved the fitted law to ${o.output}`);
    });
}
