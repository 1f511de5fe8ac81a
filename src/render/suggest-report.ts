/** What suggest shows: the pilot to train next (or why none), the ranked menu, value against cost; for the terminal, JSON and HTML. */
import type { Model } from '../law/types.js';
import type { PilotValue, Suggestion } from '../suggest/value.js';
import type { Warning } from '../warnings.js';
import { finite, modelJsonName, SCHEMA_VERSION } from './json.js';
import { BOLD, DIM, paint, wrapText } from './style.js';
import { formatPercent } from '../text/percent.js';
import { formatSigned } from '../text/signed.js';
import { renderTable } from './table.js';
import { escapeHtml, type Section } from './html/page.js';
import { htmlTable } from './html/html-table.js';

const nats = (x: number) => x.toFixed(4);

/** How a pilot is trained, in a few words. */
function howTrained(p: PilotValue): string {
  const b = p.pilot.branchFrom;
  return `${p.pilot.cost.toLocaleString('en-US')} steps${b ? `, branched from ${b.run} at step ${b.step.toLocaleString('en-US')}` : ''}`;
}

/** Why no pilot is worth it, in a sentence: the refits failed, the law never moves, or it moves without gaining. */
function whyNone(s: Suggestion): string {
  const failed = s.pilots.filter((p) => p.failed === s.simulations);
  if (failed.length > 0) return `every refit with a simulated log failed for ${failed.map((p) => p.pilot.name).join(', ')} (their value counts them as keeping today's pick)`;
  const moved = Math.max(0, ...s.pilots.map((p) => p.changes));
  if (moved === 0) return 'the law keeps its pick after every simulated pilot: its form, not its data, limits this decision (another law might learn from a pilot: --model)';
  return `refitted with a pilot, the law changes its pick in up to ${formatPercent(moved)} of simulated outcomes without ending better on average: a pilot moves the fit more than it teaches it about these candidates`;
}

/** The answer in words: the pilot to train, or why none is worth it, and the reasons under it. */
export function suggestionVerdict(s: Suggestion): { text: string; reasons: string[] } {
  const rec = s.recommended;
  const today = `today's pick ${rec.name} (P(best) ${formatPercent(rec.pBest)}, expected regret ${nats(rec.regret)} nats)`;
  const reasons = [`value = expected regret (how much worse the pick ends than the best, seed noise aside) today − after refitting with the pilot's log, over ${s.simulations} simulated logs drawn from the current law (its refits, its own error, seed noise); a pilot is worth training when it lowers the expected regret by ${s.threshold} nats or more (a quarter of one run's seed-to-seed spread, --noise-floor) beyond the simulations' error`];
  if (s.clear) return { text: `No pilot needed: the decision is already clear, ${today}.`, reasons };
  const best = s.pilots[0];
  if (best && !best.worth && best.value >= s.threshold) {
    return { text: `No pilot is clearly worth its cost yet: ${best.pilot.name} (${howTrained(best)}) looks best, ${formatSigned(best.value)} ± ${nats(best.valueError)} nats of expected regret for ${today}, but that is within the error of ${s.simulations} simulations; --simulations ${Math.min(64, 4 * s.simulations)} would tell.`, reasons };
  }
  if (!best?.worth) return { text: `No pilot on the menu is worth its cost: none lowers the expected regret of ${today} by ${s.threshold} nats.`, reasons: [whyNone(s), ...reasons] };
  const tie = s.pilots.filter((p) => p !== best && p.worth && Math.abs(p.valuePerKilostep - best.valuePerKilostep) <= (1000 * Math.hypot(p.valueError, best.valueError)) / Math.min(p.pilot.cost, best.pilot.cost));
  return {
    text: `Train ${best.pilot.name} (${howTrained(best)}): expected regret ${nats(rec.regret)} → ${nats(best.regretAfter)} nats (± ${nats(best.valueError)} over ${s.simulations} simulations), P(recommendation changes) ${formatPercent(best.changes)}; today's pick is ${rec.name}.`,
    reasons: [...(tie.length > 0 ? [`as good per step within the simulations' error: ${tie.map((p) => p.pilot.name).join(', ')}`] : []), ...reasons],
  };
}

/** The two most frequent picks after a pilot, with their shares. */
function picksText(p: PilotValue): string {
  return p.picks.slice(0, 2).map((x) => `${x.name} ${formatPercent(x.share)}`).join(', ');
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
      s.pilots.map((p, i) => [String(i + 1), p.pilot.name, p.pilot.cost.toLocaleString('en-US'), `${(p.value >= 0 ? '+' : '') + nats(p.value)} ± ${nats(p.valueError)}`, (p.valuePerKilostep >= 0 ? '+' : '') + p.valuePerKilostep.toFixed(5), nats(p.regretAfter), formatPercent(p.changes)]),
      { indent: 2, color: o.color, align: ['r', 'l', 'r', 'r', 'r', 'r', 'r'] },
    ),
  );
  lines.push(...wrapText(`value in nats of expected regret (negative: the refitted law would choose worse on average); expected regret today ${nats(s.recommended.regret)}; regret after = today's − value; P(change) = share of simulated logs after which the refitted law picks another schedule`, o.width, '  ', '  ').map((l) => paint(l, DIM, o.color)));
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

/** Styles of the value bars (HTML, not SVG: its text stays legible on a phone). */
const BAR_CSS = `<style>
.bars { display: grid; grid-template-columns: minmax(8em, 2fr) auto minmax(6em, 3fr) auto; gap: 4px 10px; align-items: center; font-size: 13.5px; }
.bars .head { color: var(--muted); font-weight: 600; }
.bars .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.bars .track { position: relative; height: 16px; background: var(--panel); border-radius: 3px; }
.bars .bar { position: absolute; top: 2px; height: 12px; border-radius: 2px; }
.bars .bar.gain { background: var(--good); } .bars .bar.loss { background: var(--bad); opacity: 0.7; }
.bars .whisker { position: absolute; top: 7px; height: 2px; background: var(--fg); opacity: 0.55; }
.bars .zero { position: absolute; top: 0; bottom: 0; width: 1px; background: var(--muted); }
.bars .err { color: var(--muted); font-size: 12px; }
.scroll { overflow-x: auto; }
@media (max-width: 600px) { .bars { grid-template-columns: minmax(7em, 2fr) minmax(4em, 2fr) auto; font-size: 13px; } .bars .cost { display: none; } .bars .err { display: block; } }
</style>`;

/** A bar per pilot, cheapest first: the expected regret it saves (green) or adds (red), its Monte-Carlo error as a whisker. */
function valueBarsHtml(s: Suggestion): string {
  const byCost = [...s.pilots].sort((a, b) => a.pilot.cost - b.pilot.cost);
  const lo = Math.min(0, ...byCost.map((p) => p.value - p.valueError));
  const hi = Math.max(0, ...byCost.map((p) => p.value + p.valueError), s.threshold);
  const span = hi - lo || 1;
  const at = (x: number) => `${((100 * (x - lo)) / span).toFixed(2)}%`;
  const width = (a: number, b: number) => `${((100 * Math.abs(b - a)) / span).toFixed(2)}%`;
  const rows = byCost.map((p) => {
    const [a, b] = p.value >= 0 ? [0, p.value] : [p.value, 0];
    const track = `<span class="track"><span class="zero" style="left:${at(0)}"></span><span class="bar ${p.value >= 0 ? 'gain' : 'loss'}" style="left:${at(a)};width:${width(a, b)}"></span><span class="whisker" style="left:${at(p.value - p.valueError)};width:${width(p.value - p.valueError, p.value + p.valueError)}"></span></span>`;
    return `<span>${escapeHtml(p.pilot.name)}</span><span class="num cost">${p.pilot.cost.toLocaleString('en-US')}</span>${track}<span class="num">${(p.value >= 0 ? '+' : '') + nats(p.value)} <span class="err">± ${nats(p.valueError)}</span></span>`;
  });
  return `${BAR_CSS}<div class="bars"><span class="head">pilot</span><span class="head num cost">cost (steps)</span><span class="head">expected regret saved</span><span class="head num">nats</span>${rows.join('')}</div><p class="meta">Cheapest first. Green: the pilot lowers the expected regret of the pick; red: refitted with it, the law would choose worse on average. Whiskers: ± the Monte-Carlo error of ${s.simulations} simulations. Worth training from ${s.threshold} nats beyond that error.</p>`;
}

/** The HTML sections (the answer goes in the page's decision box: suggestionVerdict): value against cost, then the table. */
export function suggestSections(s: Suggestion): Section[] {
  const chart = valueBarsHtml(s);
  const table = htmlTable(
    ['#', 'pilot', 'schedule', 'cost', 'value', '± error', 'regret after', 'P(change)', 'pick after'],
    s.pilots.map((p, i) => [String(i + 1), p.pilot.name, { spec: p.pilot.schedule }, { num: p.pilot.cost.toLocaleString('en-US') }, { num: nats(p.value) }, { num: nats(p.valueError) }, { num: nats(p.regretAfter) }, { num: formatPercent(p.changes) }, picksText(p)]),
  );
  return [
    { title: 'Value against cost', html: chart },
    { title: 'Every pilot', html: `<div class="scroll">${table}</div><p class="meta">Today's pick ${escapeHtml(s.recommended.name)}, expected regret ${nats(s.recommended.regret)} nats; regret after = today's − value, the value measured over ${s.simulations} simulated outcomes.</p>` },
  ];
}
