/** What suggest shows: the pilot to train next (or why none), the ranked menu, value against cost; for the terminal, JSON and HTML. */
import type { Model } from '../law/types.js';
import type { PilotValue, Suggestion } from '../suggest/value.js';
import type { Warning } from '../warnings.js';
import { finite, modelJsonName, SCHEMA_VERSION } from './json.js';
import { BOLD, DIM, paint, wrapText } from './style.js';
import { renderTable } from './table.js';
import { escapeHtml, type Section } from './html/page.js';
import { htmlTable } from './html/html-table.js';
import { svgChart } from './html/svg-chart.js';

const nats = (x: number) => x.toFixed(4);
const percent = (x: number) => `${Math.round(100 * x)} %`;

/** How a pilot is trained, in a few words. */
function howTrained(p: PilotValue): string {
  const b = p.pilot.branchFrom;
  return `${p.pilot.cost.toLocaleString('en-US')} steps${b ? `, branched from ${b.run} at step ${b.step.toLocaleString('en-US')}` : ''}`;
}

/** The answer in words: the pilot to train, or why none is worth it, and the reasons under it. */
export function suggestionVerdict(s: Suggestion): { text: string; reasons: string[] } {
  const rec = s.recommended;
  const today = `today's pick ${rec.name} (P(best) ${percent(rec.pBest)}, expected regret ${nats(rec.regret)} nats)`;
  const reasons = [`value = expected regret today − after refitting with the pilot's log, over ${s.simulations} simulated logs drawn from the current law (its refits, its own error, seed noise); a pilot is worth training when it lowers the expected regret by ${s.threshold} nats or more (a quarter of one run's seed noise)`];
  if (s.clear) return { text: `No pilot needed: the decision is already clear, ${today}.`, reasons };
  const best = s.pilots[0];
  if (!best?.worth) {
    const moved = Math.max(0, ...s.pilots.map((p) => p.changes));
    const why = moved === 0
      ? 'the law keeps its pick after every simulated pilot: its form, not its data, limits this decision (another law might learn from a pilot: --model)'
      : `refitted with a pilot, the law changes its pick in up to ${percent(moved)} of simulated outcomes without ending better on average: a pilot moves the fit more than it teaches it about these candidates`;
    return { text: `No pilot on the menu is worth its cost: none lowers the expected regret of ${today} by ${s.threshold} nats.`, reasons: [why, ...reasons] };
  }
  const tie = s.pilots.filter((p) => p !== best && p.worth && Math.abs(p.valuePerKilostep - best.valuePerKilostep) <= (1000 * Math.hypot(p.valueError, best.valueError)) / Math.min(p.pilot.cost, best.pilot.cost));
  return {
    text: `Train ${best.pilot.name} (${howTrained(best)}): expected regret ${nats(s.regretBefore)} → ${nats(best.regretAfter)} nats, P(recommendation changes) ${percent(best.changes)}; today's pick is ${rec.name}.`,
    reasons: [...(tie.length > 0 ? [`as good per step within the simulations' error: ${tie.map((p) => p.pilot.name).join(', ')}`] : []), ...reasons],
  };
}

/** The two most frequent picks after a pilot, with their shares. */
function picksText(p: PilotValue): string {
  return p.picks.slice(0, 2).map((x) => `${x.name} ${percent(x.share)}`).join(', ');
}

/** A horizontal bar per pilot, by cost: how much each is worth. */
function valueBars(s: Suggestion, width: number): string[] {
  const top = Math.max(...s.pilots.map((p) => Math.abs(p.value)), 1e-12);
  const byCost = [...s.pilots].sort((a, b) => a.pilot.cost - b.pilot.cost);
  const nameWidth = Math.min(36, Math.max(...byCost.map((p) => p.pilot.name.length)));
  const barWidth = Math.max(8, width - nameWidth - 34);
  return byCost.map((p) => {
    const n = Math.round((Math.abs(p.value) / top) * barWidth);
    const bar = p.value >= 0 ? '█'.repeat(n) : '░'.repeat(n);
    return `  ${p.pilot.cost.toLocaleString('en-US').padStart(9)}  ${p.pilot.name.slice(0, nameWidth).padEnd(nameWidth)}  ${(p.value >= 0 ? '+' : '') + nats(p.value)} ${bar}`;
  });
}

/** The report for people. */
export function renderSuggestion(s: Suggestion, o: { color: boolean; width: number; proposed: boolean }): string {
  const v = suggestionVerdict(s);
  const lines = [...wrapText(v.text, o.width).map((l) => paint(l, BOLD, o.color)), ...v.reasons.flatMap((r) => wrapText(r, o.width, '  ', '    ')), ''];
  lines.push(paint(`${o.proposed ? 'Proposed pilots (cooldowns branched from the fitted runs; --pilots FILE for your own)' : 'Pilots'}, best first`, BOLD, o.color));
  lines.push(
    renderTable(
      ['#', 'pilot', 'cost', 'value ± error', 'per 1k steps', 'regret after', 'P(change)'],
      s.pilots.map((p, i) => [String(i + 1), p.pilot.name, p.pilot.cost.toLocaleString('en-US'), `${(p.value >= 0 ? '+' : '') + nats(p.value)} ± ${nats(p.valueError)}`, (p.valuePerKilostep >= 0 ? '+' : '') + p.valuePerKilostep.toFixed(5), nats(p.regretAfter), percent(p.changes)]),
      { indent: 2, color: o.color, align: ['r', 'l', 'r', 'r', 'r', 'r', 'r'] },
    ),
  );
  lines.push(...wrapText(`value in nats of expected regret (negative: the refitted law would choose worse on average); expected regret today ${nats(s.regretBefore)} over the same simulations; P(change) = share of simulated logs after which the refitted law picks another schedule`, o.width, '  ', '  ').map((l) => paint(l, DIM, o.color)));
  lines.push('', paint('  value against cost (steps), cheapest first; █ gains, ░ losses', DIM, o.color), ...valueBars(s, o.width));
  return lines.join('\n');
}

/** The suggest JSON document. */
export function suggestJson(s: Suggestion, model: Model, proposed: boolean, warnings: Warning[]) {
  const v = suggestionVerdict(s);
  return {
    schemaVersion: SCHEMA_VERSION,
    command: 'suggest',
    model: modelJsonName(model),
    verdict: { text: v.text, reasons: v.reasons },
    recommended: { name: s.recommended.name, schedule: s.recommended.schedule, pBest: s.recommended.pBest, expectedRegret: finite(s.recommended.regret, 'expected regret', warnings) },
    expectedRegretBefore: finite(s.regretBefore, 'expected regret before', warnings),
    clear: s.clear,
    simulations: s.simulations,
    threshold: s.threshold,
    menu: proposed ? 'proposed' : 'given',
    pilots: s.pilots.map((p) => ({
      name: p.pilot.name,
      schedule: p.pilot.schedule,
      cost: p.pilot.cost,
      branchFrom: p.pilot.branchFrom ?? null,
      value: finite(p.value, `${p.pilot.name} value`, warnings),
      valueError: finite(p.valueError, `${p.pilot.name} value error`, warnings),
      valuePerKilostep: finite(p.valuePerKilostep, `${p.pilot.name} value per step`, warnings),
      expectedRegretAfter: finite(p.regretAfter, `${p.pilot.name} regret after`, warnings),
      pChange: p.changes,
      picks: p.picks,
      failedRefits: p.failed,
      worth: p.worth,
    })),
    warnings,
  };
}

/** The HTML sections: the answer first, then value against cost and the table. */
export function suggestSections(s: Suggestion): Section[] {
  const v = suggestionVerdict(s);
  const answer = `<div class="verdict"><p><strong>${escapeHtml(v.text)}</strong></p><ul>${v.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul></div>`;
  const chart = svgChart({
    title: 'Value of each pilot against its cost',
    xLabel: 'cost (steps)',
    panels: [{ height: 260, yLabel: 'expected regret saved (nats)', yFormat: '.4f', zero: true, series: s.pilots.map((p, i) => ({ name: p.pilot.name, x: [p.pilot.cost], y: [p.value], style: 'dots' as const, color: i % 8 })) }],
  });
  const table = htmlTable(
    ['#', 'pilot', 'schedule', 'cost', 'value', '± error', 'regret after', 'P(change)', 'pick after'],
    s.pilots.map((p, i) => [String(i + 1), p.pilot.name, { spec: p.pilot.schedule }, { num: p.pilot.cost.toLocaleString('en-US') }, { num: nats(p.value) }, { num: nats(p.valueError) }, { num: nats(p.regretAfter) }, { num: percent(p.changes) }, picksText(p)]),
  );
  return [
    { title: 'Which run to train next', html: answer },
    { title: 'Value against cost', html: `<div class="figure">${chart}</div>` },
    { title: 'Every pilot', html: `${table}<p class="meta">Expected regret today ${nats(s.regretBefore)} nats over the same ${s.simulations} simulated outcomes; today's pick ${escapeHtml(s.recommended.name)}.</p>` },
  ];
}
