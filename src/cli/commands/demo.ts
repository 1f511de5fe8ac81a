/** `losscast demo`: the main job on bundled real curves, so a new user sees it work at once. */
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { fitLaw } from '../../fit/fit-law.js';
import { loadRun } from '../../io/load-run.js';
import { renderFitReport } from '../../render/fit-report.js';
import { BOLD, DIM, paint, terminalWidth } from '../../render/style.js';
import { makeOutput } from '../output.js';

/** Folder of the bundled fixtures (works from dist/ and from an installed package). */
export function fixturesDir(): string {
  return fileURLToPath(new URL('../../../fixtures/', import.meta.url));
}

/** The bundled 400M runs the demo fits, with their schedules. */
export function demoRuns(dir = fixturesDir()): string[] {
  return [
    `${dir}mpl-400M/cosine_24000.csv@cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5`,
    `${dir}mpl-400M/constant_24000.csv@constant:peak=3e-4,warmup=2160,total=24000`,
  ];
}

/** Registers the command. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .summary('fit bundled real loss curves (MPL 400M) and show the result')
    .description('Fits the law to two real 400M-parameter training runs bundled with losscast (cosine and constant LR,\nfrom the Multi-Power Law paper, MIT licence) and prints what `losscast fit` shows.')
    .option('--no-chart', 'do not draw the charts')
    .action(async (o: { chart: boolean }) => {
      const out = makeOutput();
      const logs = demoRuns();
      out.result(paint('losscast demo: fitting two real 400M runs (cosine and constant LR, 24k steps)', BOLD, out.color));
      out.result(paint('  the same as: losscast fit "fixtures/mpl-400M/cosine_24000.csv@cosine:…" "fixtures/mpl-400M/constant_24000.csv@constant:…"\n', DIM, out.color));
      const runs = [];
      for (const log of logs) runs.push(await loadRun(log));
      const fit = fitLaw(runs);
      for (const w of fit.notes) out.warn(w);
      out.result(renderFitReport(fit, { color: out.color, width: terminalWidth(), chart: o.chart }));
    });
}
