/** `losscast forecast LOG@PLANNED_SPEC`: where a run in progress will end, from its log so far. */
import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { usageError } from '../../errors.js';
import { backtests, checkForecastInput, type Forecast, forecastRun } from '../../forecast/forecast.js';
import { fitLaw } from '../../law/registry.js';
import { forecastDecision, forecastJson, forecastSections, progressText, renderForecast } from '../../render/forecast-report.js';
import { terminalWidth } from '../../render/style.js';
import { parseSchedule } from '../../schedule/schedule.js';
import { splitLogArgument } from '../../schedule/spec.js';
import type { Run } from '../../core/run.js';
import { cutRun } from '../../law/mixture/folds.js';
import { loadRuns } from './fit.js';
import { priorFor } from '../law-source.js';
import { lawFromFit } from '../../predict/fitted-law.js';
import { parseSteps } from './predict.js';
import { addHtmlOption, writeHtml } from '../html.js';
import { makeOutput, type Output, printJson } from '../output.js';
import { addFitOptions, addLogOptions, fitOptions, type FitOptionValues, type LogOptionValues, modelsOf, parsePositive } from '../options.js';
import { addUncertaintyOptions, bootstrapWithProgress, type UncertaintyOptionValues } from '../uncertainty.js';
import { makeProgress } from '../progress.js';

interface ForecastOptions extends LogOptionValues, FitOptionValues, UncertaintyOptionValues {
  at?: string;
  watch?: boolean;
  interval?: number;
  html?: string;
  json?: boolean;
  chart: boolean;
  tail?: number;
  quiet?: boolean;
}

/** Fits, backtests and forecasts the log once. */
async function forecastOnce(log: string, o: ForecastOptions, out: Output): Promise<{ forecast: Forecast; run: Run }> {
  const plannedText = splitLogArgument(log).schedule ?? o.schedule;
  if (!plannedText) throw usageError('forecast needs the planned schedule of the whole run: LOG@SPEC or --schedule SPEC (with total=STEPS)');
  const planned = parseSchedule(plannedText);
  const [whole] = await loadRuns([log], { ...o, schedule: plannedText });
  const run = o.toStep !== undefined ? cutRun(whole, o.toStep) : whole; // --to-step: as if the log ended there
  const options = { ...fitOptions(o), model: modelsOf(o)[0], fromStep: o.fromStep ?? planned.warmupEnd }; // a log still in its warmup must not be fitted from there
  checkForecastInput(run, planned, options);
  for (const w of run.warnings) out.warn(w);
  const fit = fitLaw([run], options);
  const { uncertainty, notes } = await bootstrapWithProgress([run], fit, options, o);
  const { annealPrior, note } = priorFor(lawFromFit(fit, [run]), o.prior);
  const progress = makeProgress(o);
  progress.update('backtests', 0, 1);
  const tests = backtests(run, { ...options, noiseFloor: o.noiseFloor, ...(annealPrior ? { annealPrior } : {}) });
  progress.end();
  const forecast = forecastRun(run, planned, fit, uncertainty, tests, { at: o.at ? parseSteps(o.at) : [], notes: [...fit.notes, ...notes, ...(note ? [note] : [])], ...(annealPrior ? { annealPrior } : {}) });
  return { forecast, run };
}

/** Prints (or writes) one forecast. */
function show(forecast: Forecast, run: Run, o: ForecastOptions, out: Output): void {
  if (o.html) writeHtml(o.html, { title: `Forecast of ${run.label}`, subtitle: `losscast forecast report: ${progressText(forecast)}, the forecast final loss with its band, and how earlier forecasts of this run fared.`, decision: forecastDecision(forecast), sections: forecastSections(forecast, run), warnings: forecast.warnings }, out);
  if (o.json) {
    printJson(forecastJson(forecast, run));
    return;
  }
  for (const w of forecast.warnings) out.warn(w);
  out.result(renderForecast(forecast, run, { color: out.color, chart: o.chart, width: terminalWidth(), tail: o.tail }));
}

/** A file's identity and size, to see it grow, shrink or be replaced. */
function fileState(path: string): { ino: number; size: number; mtime: number } | null {
  try {
    const s = statSync(path);
    return { ino: s.ino, size: s.size, mtime: s.mtimeMs };
  } catch {
    return null;
  }
}

/** Re-forecasts whenever the log grows; stops on Ctrl-C, on a truncated or replaced log, and when the run reaches its planned total. */
async function watch(log: string, o: ForecastOptions, out: Output): Promise<void> {
  const { path } = splitLogArgument(log);
  if (path === '-') throw usageError('--watch needs a log file, not stdin');
  let state = fileState(path);
  let stop: string | null = null;
  const onSignal = () => {
    stop = 'stopped (Ctrl-C)';
  };
  process.once('SIGINT', onSignal);
  try {
    for (;;) {
      const { forecast, run } = await forecastOnce(log, o, out);
      if (!o.json && out.color) process.stdout.write('\x1b[2J\x1b[H');
      show(forecast, run, o, out);
      if (forecast.loggedTo >= forecast.total) return out.info('the run reached its planned total: stopped watching');
      // wait for the log to change
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, (o.interval ?? 2) * 1000));
        if (stop) return out.info(stop);
        const now = fileState(path);
        if (!now) return out.info(`${path} is gone (moved or deleted): stopped watching`);
        if (state && now.ino !== state.ino) return out.info(`${path} was replaced by another file (rotated): stopped watching`);
        if (state && now.size < state.size) return out.info(`${path} shrank from ${state.size} to ${now.size} bytes (truncated): stopped watching`);
        if (!state || now.size !== state.size || now.mtime !== state.mtime) {
          state = now;
          break;
        }
      }
    }
  } finally {
    process.removeListener('SIGINT', onSignal);
  }
}

/** Registers the command. */
export function registerForecast(program: Command): void {
  const cmd = program
    .command('forecast')
    .summary('forecast where a run in progress will end, from its log so far')
    .description('The log covers the first part of a run whose whole schedule is planned (LOG@SPEC, with total=). The law is fitted on the log, backtested on it (forecasts from earlier points of the run, scored on what was logged since) and asked for the loss at the end, and at --at steps.')
    .argument('<log>', 'the log so far, as LOG@PLANNED_SPEC (or LOG with --schedule)');
  addLogOptions(cmd);
  addFitOptions(cmd);
  addUncertaintyOptions(cmd);
  cmd
    .option('--at <steps>', 'also forecast the loss at these steps, comma-separated')
    .option('--watch', 're-read the log whenever it grows and forecast again (Ctrl-C stops)')
    .option('--interval <seconds>', 'with --watch: how often to look at the log (default 2)', parsePositive)
    .option('--tail <fraction>', 'chart the last fraction of the steps', parsePositive)
    .option('--no-chart', 'do not draw the charts')
    .option('--json', 'print one JSON document (shaped like predict --json)')
    .option('-q, --quiet', 'no warnings on stderr');
  addHtmlOption(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  losscast forecast "run.csv@wsd:peak=2e-3,warmup=300,total=50000,decay=0.2" --at 45000
  losscast forecast "fixtures/lr-sweep-124m/cosine-10pct_50000.val.csv@cosine:peak=2e-3,warmup=300,total=50000,final=2e-4" --to-step 20000
  losscast forecast metrics.jsonl --schedule "cosine:peak=3e-4,warmup=2000,total=100000" --watch

The interval holds the law's own error, widened when the backtests on the run itself missed by
more than it allows. When no decay has happened yet, what the planned decay will gain is unknown
to the law: the forecast takes the middle of a range public fits allow, and the interval spans it.

Exit codes: 0 success (also when --watch stops), 1 bad data (a log past the planned total, an LR
that contradicts the planned schedule, no points after warmup), 2 usage error.`,
  );
  cmd.action(async (log: string, o: ForecastOptions) => {
    const out = makeOutput(o);
    if (o.watch) {
      if (o.html) throw usageError('--watch and --html together would rewrite the page on every change; give one of them');
      await watch(log, o, out);
      return;
    }
    const { forecast, run } = await forecastOnce(log, o, out);
    show(forecast, run, o, out);
  });
}
