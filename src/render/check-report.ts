/** Text and JSON views of `check`. */
import type { BestCheck, CheckPoint, CheckResult } from '../predict/check.js';
import type { Warning } from '../warnings.js';
import { renderChart } from './chart.js';
import { finite, SCHEMA_VERSION } from './json.js';
import { BOLD, DIM, formatLoss, formatStep, paint } from './style.js';
import { renderTable } from './table.js';

function percent(x: number): string {
  return `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(2)} %`;
}

/** The human report of a run check. */
export function renderCheckReport(label: string, c: CheckResult, options: { color: boolean; width: number; chart: boolean; lawTitle?: string }): string {
  const col = options.color;
  const out: string[] = [];
  const verdict = c.passed
    ? paint('PASS', '\x1b[32m', col) + ` ${label}: the observed loss follows the prediction (tolerance ${(100 * c.tolerance).toFixed(2)} %${c.toleranceSource === 'fit-error' ? ', from the fit\'s error' : ''})`
    : paint('FAIL', '\x1b[31m', col) +
      ` ${label}: observed loss above the prediction by more than ${(100 * c.tolerance).toFixed(2)} % for the last ${c.window} points (since step ${formatStep(c.aboveToleranceSince!)}); it started to deviate at step ${formatStep(c.deviatingSince!)}`;
  out.push(paint(verdict, BOLD, col));
  if (options.lawTitle) out.push(paint(`  predicted by the ${options.lawTitle}`, DIM, col));
  out.push('');
  const row = (name: string, p: CheckPoint) => [name, formatStep(p.step), formatLoss(p.observed), formatLoss(p.predicted), percent(p.deviation)];
  out.push(renderTable(['', 'step', 'observed', 'predicted', 'deviation'], [row('latest', c.latest), row('worst', c.worst)], { indent: 2, color: col, align: ['l', 'r', 'r', 'r', 'r'] }));
  out.push(`  trend over the last ${c.trendPoints} points: ${percent(c.trendPer1000Steps)} per 1,000 steps${c.trendPer1000Steps > 0 ? ' (falling behind)' : ' (keeping up)'}`);
  if (c.aboveToleranceSince !== null && c.passed) out.push(paint(`  above the tolerance since step ${formatStep(c.aboveToleranceSince)}, for fewer than ${c.window} points so far`, DIM, col));
  for (const n of c.notes) out.push(paint(`  note: ${n}`, DIM, col));
  if (options.chart) {
    out.push('');
    out.push(
      renderChart(
        [
          { name: 'predicted', x: c.points.map((p) => p.step), y: c.points.map((p) => p.predicted) },
          { name: 'observed', x: c.points.map((p) => p.step), y: c.points.map((p) => p.observed) },
        ],
        { width: options.width, height: 10, color: col, formatY: (y) => y.toFixed(3) },
      ),
    );
  }
  return out.join('\n');
}

function pointJson(p: CheckPoint, what: string, warnings: Warning[]) {
  return { step: p.step, observed: finite(p.observed, `${what} observed`, warnings), predicted: finite(p.predicted, `${what} predicted`, warnings), deviation: finite(p.deviation, `${what} deviation`, warnings) };
}

/** The --json document of a run check. */
export function checkRunJson(file: string, schedule: string | null, c: CheckResult, runWarnings: Warning[], model: string) {
  const warnings: Warning[] = [...runWarnings, ...c.notes.map((message) => ({ code: 'check-note', message }))];
  const doc = {
    schemaVersion: SCHEMA_VERSION,
    command: 'check',
    mode: 'run',
    model,
    file,
    schedule,
    passed: c.passed,
    tolerance: c.tolerance,
    toleranceSource: c.toleranceSource,
    window: c.window,
    points: c.points.length,
    latest: pointJson(c.latest, 'latest', warnings),
    worst: pointJson(c.worst, 'worst', warnings),
    trend: { per1000Steps: finite(c.trendPer1000Steps, 'trend', warnings), points: c.trendPoints },
    aboveToleranceSince: c.aboveToleranceSince,
    deviatingSince: c.deviatingSince,
    warnings: [] as Warning[],
  };
  doc.warnings = warnings;
  return doc;
}

/** The human line of an --expect-best check. */
export function renderBestCheck(b: BestCheck, color: boolean): string {
  if (b.entry.problem || b.entry.finalLoss === null) return `${paint('FAIL', '\x1b[31m', color)} the law has no prediction for ${b.expected}${b.entry.problem ? `: ${b.entry.problem}` : ''}`;
  if (b.entry.rank === 1) return `${paint('PASS', '\x1b[32m', color)} the predicted best schedule is ${b.expected} (final loss ${formatLoss(b.best.finalLoss)})`;
  if (b.passed) return `${paint('PASS', '\x1b[32m', color)} ${b.expected} is tied with the predicted best ${b.best.name} (+${(b.entry.gapToBest ?? 0).toFixed(4)}, within the fit's error)`;
  return `${paint('FAIL', '\x1b[31m', color)} the predicted best schedule is ${b.best.name} (final loss ${formatLoss(b.best.finalLoss)}), not ${b.expected} (rank ${b.entry.rank}, +${(b.entry.gapToBest ?? Number.NaN).toFixed(4)}${b.tiedWithBest ? ', a tie: --strict fails ties' : ''})`;
}

/** The --json document of an --expect-best check. */
export function checkBestJson(file: string, b: BestCheck, strict: boolean) {
  return {
    schemaVersion: SCHEMA_VERSION,
    command: 'check',
    mode: 'expect-best',
    file,
    passed: b.passed,
    expected: b.expected,
    strict,
    best: { name: b.best.name, finalLoss: b.best.finalLoss },
    expectedRank: b.entry.rank,
    gapToBest: b.entry.gapToBest,
    tiedWithBest: b.tiedWithBest,
    warnings: [] as Warning[],
  };
}
