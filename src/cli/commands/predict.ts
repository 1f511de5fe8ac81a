/** `losscast predict`: the predicted loss curve of one schedule under a fitted law. */
import type { Command } from 'commander';
import { usageError } from '../../errors.js';
import { lawOf } from '../../predict/fitted-law.js';
import { lossAt, predictionBandOf, simulate } from '../../predict/simulate.js';
import { renderChart } from '../../render/chart.js';
import { finite, intervalJson, modelJsonName, paramsJson, SCHEMA_VERSION } from '../../render/json.js';
import { BOLD, DIM, formatInterval, formatStep, paint, terminalWidth, wrapText } from '../../render/style.js';
import { renderTable } from '../../render/table.js';
import { parseSchedule } from '../../schedule/schedule.js';
import type { Warning } from '../../warnings.js';
import { type LawSourceOptions, resolveLaw } from '../law-source.js';
import { makeOutput, printJson } from '../output.js';
import { addHtmlOption, writeHtml } from '../html.js';
import { fittedTo, predictReport } from '../../render/html/prediction-html.js';
import { decimalsFor, significant } from '../../render/precision.js';
import { lossText } from '../../render/ranking-format.js';
import { addChartAndLawOptions, type ChartOptionValues, collect, parseWhole } from '../options.js';
import { formatLevel } from '../../text/level.js';

interface PredictOptions extends LawSourceOptions, ChartOptionValues {
  at?: string;
  csv?: boolean;
  every?: number;
  total?: number;
  html?: string;
}

export { significant };

/** Parses "--at 10000,20000". */
export function parseSteps(text: string): number[] {
  return text.split(',').map((part) => {
    const n = Number(part.trim());
    if (!Number.isInteger(n) || n < 1) throw usageError(`--at "${part}" is not a step (a whole number ≥ 1)`);
    return n;
  });
}

/** Adds the options shared by predict and compare for charts and the law. */
export function addLawSourceOptions(cmd: Command): Command {
  cmd.option('--params <file>', 'fitted law from losscast fit -o').option('--fit <log>', 'fit the law on the spot from LOG@SPEC (repeatable)', collect);
  return cmd;
}

/** Registers the command. */
export function registerPredict(program: Command): void {
  const cmd = program
    .command('predict')
    .summary('predict the loss curve of a schedule')
    .requiredOption('--schedule <spec>', 'the schedule to simulate');
  addLawSourceOptions(cmd);
  cmd
    .option('--at <steps>', 'also print the loss at these steps, comma-separated')
    .option('--csv', 'print the curve as CSV (step,lr,loss) instead of the report')
    .option('--every <n>', 'with --csv: one row every N steps (default: ~1000 rows)', parseWhole)
    .option('--total <n>', 'length for specs without total', parseWhole);
  addHtmlOption(cmd);
  addChartAndLawOptions(cmd, 'chart only the last fraction of the run (e.g. 0.3)');
  cmd.addHelpText(
    'after',
    `
Examples:
  losscast predict --params params.json --schedule "cosine:peak=3e-4,warmup=2160,total=72000,final=3e-5" --at 24000,48000
  losscast predict --fit "cos.csv@cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5" --schedule "wsd:peak=3e-4,warmup=2160,total=24000,decay=0.2" --csv --every 100

Exit codes: 0 success, 1 bad data, 2 usage error, 4 no valid prediction (the loss would be negative
or infinite: the schedule is far outside the fitted runs).`,
  );
  cmd.action(async (o: PredictOptions) => {
    const out = makeOutput(o);
    const schedule = parseSchedule(o.schedule!);
    const law = await resolveLaw({ ...o, schedule: undefined }, out);
    const prediction = simulate(law, schedule, { total: o.total, every: o.csv ? o.every : undefined });
    const atSteps = o.at ? parseSteps(o.at) : [];
    const atLoss = lossAt(law, prediction, atSteps);
    const band = o.csv && !o.html ? null : predictionBandOf(law, prediction, atSteps, atLoss);
    if (o.html) {
      const report = predictReport(law, prediction, band, atSteps, atLoss, { tail: o.tail, logY: o.logY, fittedTo: fittedTo(law) });
      writeHtml(o.html, { title: `Predicted loss of a ${prediction.total.toLocaleString('en-US')}-step ${schedule.family} schedule`, subtitle: `losscast predict report (${lawOf(law).title}): the predicted curve with its band, and the LR schedule.`, ...report, warnings: [...law.notes, ...prediction.warnings] }, out);
    }
    if (o.json) {
      const warnings: Warning[] = [...law.notes, ...prediction.warnings];
      printJson({
        schemaVersion: SCHEMA_VERSION,
        command: 'predict',
        model: modelJsonName(law.model),
        params: paramsJson(law.model, warnings),
        schedule: schedule.text,
        total: prediction.total,
        finalLoss: finite(prediction.finalLoss, 'final loss', warnings),
        interval: band ? intervalJson(band.final, 'final loss interval', warnings) : null,
        level: law.uncertainty?.level ?? null,
        at: atSteps.map((step, i) => ({ step, loss: finite(atLoss[i], `loss at step ${step}`, warnings), ...(band ? intervalJson(band.at[i], `loss at step ${step}`, warnings) : {}) })),
        band: band ? band.steps.map((step, i) => ({ step, ...intervalJson({ lo: band.lo[i], hi: band.hi[i] }, `band at step ${step}`, warnings) })) : null,
        warnings,
      });
      return;
    }
    if (o.params) for (const w of law.notes) out.warn(w);
    for (const w of prediction.warnings) out.warn(w);
    if (o.csv) {
      const rows = prediction.steps.map((s, i) => `${s},${significant(prediction.lr[i])},${significant(prediction.loss[i])}`);
      out.result(`step,lr,loss\n${rows.join('\n')}`);
      return;
    }
    const width = terminalWidth();
    out.result(wrapText(`Predicted loss for ${schedule.text} (${lawOf(law).title})`, width).map((l) => paint(l, BOLD, out.color)).join('\n'));
    const level = law.uncertainty ? formatLevel(law.uncertainty.level) : '';
    const d = band ? decimalsFor(band.final.hi - band.final.lo) : 4; // rounded to what the band supports
    out.result(`  final loss at step ${formatStep(prediction.total)}: ${lossText(prediction.finalLoss, d)}${band ? `   (${level} interval ${formatInterval(band.final, false, d)})` : ''}`);
    if (atSteps.length > 0) {
      out.result(renderTable(['step', 'predicted loss', ...(band ? [`${level} interval`] : [])], atSteps.map((s, i) => [formatStep(s), lossText(atLoss[i], d), ...(band ? [formatInterval(band.at[i], false, d)] : [])]), { indent: 2, color: out.color, align: ['r', 'r', 'r'] }));
    }
    if (band) {
      const u = law.uncertainty!;
      out.result(wrapText(`intervals: ${u.samples} bootstrap refits of the law (seed ${u.seed}), widened by how far a logged loss sits from it: the fit's scatter ${u.scatter.toFixed(4)} and a seed-to-seed noise floor of ${u.noiseFloor} nats`, width, '  ', '    ').map((l) => paint(l, DIM, out.color)).join('\n'));
    }
    if (o.chart) {
      out.result('');
      // the band first, so the prediction is drawn over it where they meet
      const series = [...(band ? [{ name: `${level} band, upper`, x: band.steps, y: band.hi }, { name: `${level} band, lower`, x: band.steps, y: band.lo }] : []), { name: 'predicted loss', x: prediction.steps, y: prediction.loss }];
      out.result(renderChart(series, { width, height: 12, color: out.color, tail: o.tail, logY: o.logY, formatY: (y) => y.toFixed(3) }));
    }
  });
}
