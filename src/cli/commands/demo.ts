/** `losscast demo`: the main job on bundled real curves, so a new user sees it work at once. */
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Run } from '../../core/run.js';
import { fitLaw } from '../../law/registry.js';
import type { ModelName } from '../../law/types.js';
import { loadRun } from '../../io/load-run.js';
import { renderFitReport } from '../../render/fit-report.js';
import { BOLD, DIM, formatLoss, paint, terminalWidth, wrapText } from '../../render/style.js';
import { readLog } from '../../io/read-log.js';
import { makeOutput, printJson } from '../output.js';
import { writeHtml } from '../html.js';
import { fitSections } from '../../render/html/fit-html.js';
import { compareDecision } from '../../render/html/compare-html.js';
import type { ObservedRun } from '../../render/html/prediction-html.js';
import { comparePage } from '../../render/html/compare-page.js';
import { decisionLines } from '../../render/decision.js';
import { SCHEMA_VERSION } from '../../render/json.js';
import { fitDocument } from './fit.js';
import { lawFromFit } from '../../predict/fitted-law.js';
import { nameCandidates } from '../../predict/candidates.js';
import { compareJson, compareUnder, renderComparison } from './compare.js';
import { MODEL_HELP, modelsOf } from '../options.js';
import { addUncertaintyOptions, bootstrapWithProgress, type UncertaintyOptionValues } from '../uncertainty.js';

/** Folder of the bundled fixtures (works from dist/ and from an installed package). */
export function fixturesDir(): string {
  return fileURLToPath(new URL('../../../fixtures/', import.meta.url));
}

/**
 * The bundled 400M runs the demo fits, with their schedules: the public protocol's train runs
 * (cosine, constant, and a two-stage drop, so that both laws see a real LR drop).
 */
export function demoRuns(dir = fixturesDir()): string[] {
  return [
    `${dir}mpl-400M/cosine_24000.csv@cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5`,
    `${dir}mpl-400M/constant_24000.csv@constant:peak=3e-4,warmup=2160,total=24000`,
    `${dir}mpl-400M/wsdcon_9.csv@twostage:peak=3e-4,warmup=2160,total=16000,switch=8000,second=9e-5`,
  ];
}

/** Candidate schedules the demo ranks: the four real 24k runs plus two popular others. */
export const DEMO_CANDIDATES = [
  'constant:peak=3e-4,warmup=2160,total=24000',
  'cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5',
  'wsd:peak=3e-4,warmup=2160,total=24000,decay=4000,shape=exponential,final=3e-5',
  'wsd:peak=3e-4,warmup=2160,total=24000,decay=4000,shape=linear,final=3e-5',
  'wsd:peak=3e-4,warmup=2160,total=24000,decay=0.2,shape=1-sqrt',
  'step811:peak=3e-4,warmup=2160,total=24000',
];

/** The real runs the demo shows next to their predictions: a label, the log, and the candidate (index in DEMO_CANDIDATES) it is a run of. */
const OBSERVED = [
  ['WSD exp', 'wsd_20000_24000.csv', 2],
  ['WSD linear', 'wsdld_20000_24000.csv', 3],
  ['cosine', 'cosine_24000.csv', 1],
  ['constant', 'constant_24000.csv', 0],
] as const;

/** The real runs of the demo's candidates (their train loss), named by the candidate each is a run of. */
async function observedRuns(): Promise<ObservedRun[]> {
  const names = nameCandidates(DEMO_CANDIDATES).map((c) => c.name);
  const out: ObservedRun[] = [];
  for (const [label, file, candidate] of OBSERVED) {
    const train = (await readLog(`${fixturesDir()}mpl-400M/${file}`)).train;
    if (train) out.push({ candidate: names[candidate], label, steps: train.steps, loss: train.values });
  }
  return out;
}

/** Registers the command. */
export function registerDemo(program: Command): void {
  const cmd = program
    .command('demo')
    .summary('fit bundled real loss curves (MPL 400M) and rank schedules with the fitted law')
    .description(
      'Fits the law to three real 400M-parameter training runs bundled with losscast (cosine, constant, and a\ntwo-stage LR drop, from the Multi-Power Law paper, MIT licence), prints what `losscast fit` shows, then ranks\nsix 24k-step schedules with intervals, next to the observed final losses of the real runs.',
    )
    .addOption(new Option('--model <law>', `${MODEL_HELP}; both = rank under each law`).choices(['momentum', 'mpl', 'both']));
  addUncertaintyOptions(cmd)
    .option('--no-chart', 'do not draw the charts')
    .option('--json', 'print one JSON document: the fit(s) and the ranking')
    .option('--html <file>', 'also write the demo as a self-contained HTML report (charts and tables)')
    .option('-q, --quiet', 'no warnings on stderr')
    .addHelpText('after', '\nExit codes: 0 success, 1 bad data, 2 usage error.')
    .action(async (o: UncertaintyOptionValues & { chart: boolean; model?: ModelName | 'both'; html?: string }) => {
      const out = makeOutput(o);
      const runs: Run[] = [];
      for (const log of demoRuns()) runs.push(await loadRun(log));
      if (!o.json) {
        const width = terminalWidth();
        out.result(wrapText('losscast demo: fitting three real 400M runs (cosine, constant, and a two-stage LR drop; 16k–24k steps)', width).map((l) => paint(l, BOLD, out.color)).join('\n'));
        out.result(wrapText('the same as: losscast fit "fixtures/mpl-400M/cosine_24000.csv@cosine:…" "…constant_24000.csv@constant:…" "…wsdcon_9.csv@twostage:…"', width, '  ', '    ').map((l) => paint(l, DIM, out.color)).join('\n'));
        out.result('');
      }
      const fitted = [];
      for (const m of modelsOf(o)) {
        const fit = fitLaw(runs, { model: m });
        const { uncertainty, notes } = await bootstrapWithProgress(runs, fit, {}, o);
        fitted.push({ fit, uncertainty, notes, law: lawFromFit(fit, runs, uncertainty, [...fit.notes, ...notes]) });
      }
      const comparison = compareUnder(
        fitted.map((f) => f.law),
        nameCandidates(DEMO_CANDIDATES),
      );
      const observed = await observedRuns();
      if (o.html) {
        const page = comparePage(comparison, DEMO_CANDIDATES.length, { observed });
        const sections = [...page.sections, ...fitted.flatMap((f) => fitSections(f.fit, runs, f.uncertainty))];
        writeHtml(o.html, { ...page, title: 'losscast demo: three real 400M runs, six schedules', subtitle: 'The law fitted to three public 400M training runs (cosine, constant, a two-stage drop), then six 24k-step schedules ranked with it; four of them were really trained: their runs are drawn over the predictions.', sections, warnings: [...fitted.flatMap((f) => [...f.fit.notes, ...f.notes]), ...page.warnings] }, out);
      }
      if (o.json) {
        const fits = fitted.map((f) => fitDocument(f.fit, runs, f.uncertainty, f.notes));
        printJson({ schemaVersion: SCHEMA_VERSION, command: 'demo', fit: fits[0], fits, compare: compareJson(comparison) });
        return;
      }
      // the decision first: which schedule, how sure, and the real runs outside their intervals
      const width = terminalWidth();
      out.result(decisionLines(compareDecision(comparison.laws[0], comparison.rankings[0], observed), width, out.color).join('\n'));
      out.result('');
      for (const f of fitted) {
        for (const w of [...f.fit.notes, ...f.notes]) out.warn(w);
        out.result(renderFitReport(f.fit, { color: out.color, width, chart: o.chart, maxCharts: 1, uncertainty: f.uncertainty }));
        out.result('');
      }
      out.result(wrapText('Which 24k-step schedule would have been best? (losscast compare --fit … --schedule …)', width).map((l) => paint(l, BOLD, out.color)).join('\n'));
      out.result(wrapText(`observed final losses of the real 400M runs: ${observed.map((r) => `${r.label} ${formatLoss(r.loss[r.loss.length - 1])}`).join(' · ')}`, width, '  ', '    ').map((l) => paint(l, DIM, out.color)).join('\n'));
      out.result('');
      out.result(renderComparison(comparison, { color: out.color, chart: o.chart, width, decision: false }));
    });
}
