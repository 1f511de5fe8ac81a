/** The decision before and after new runs (compare --before): a sentence and a side-by-side table, for the terminal, JSON and HTML. */
import type { BeforeAfter } from '../predict/before-after.js';
import { escapeHtml, type Section } from './html/page.js';
import { htmlTable } from './html/html-table.js';
import { BOLD, DIM, formatLoss, paint, wrapText } from './style.js';
import { renderTable } from './table.js';
import { formatPercent } from '../text/percent.js';

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : formatPercent(x));
const rank = (x: number | undefined) => (x === undefined ? '—' : String(x));

/** The table rows: each candidate's rank, final loss and P(best) before and now. */
function rows(b: BeforeAfter): string[][] {
  return b.rows.map((r) => [r.name, rank(r.before?.rank), formatLoss(r.before?.finalLoss ?? null), pct(r.before?.pBest), rank(r.after.rank), formatLoss(r.after.finalLoss), pct(r.after.pBest)]);
}

const HEADERS = ['schedule', 'rank before', 'final before', 'P(best) before', 'rank now', 'final now', 'P(best) now'];

/** The terminal section. */
export function renderBeforeAfter(b: BeforeAfter, o: { color: boolean; width: number }): string {
  const lines = [...wrapText(b.text, o.width).map((l) => paint(l, BOLD, o.color))];
  lines.push(renderTable(HEADERS, rows(b), { indent: 2, color: o.color, align: ['l', 'r', 'r', 'r', 'r', 'r', 'r'] }));
  const notes = [`before = ${b.path}`, ...(b.dropped.length > 0 ? [`not ranked now: ${b.dropped.join(', ')}`] : [])];
  lines.push(...wrapText(notes.join('; '), o.width, '  ', '  ').map((l) => paint(l, DIM, o.color)));
  return lines.join('\n');
}

/** The JSON part. */
export function beforeAfterJson(b: BeforeAfter) {
  return { file: b.path, text: b.text, changed: b.changed, before: b.before, after: b.after, dropped: b.dropped, candidates: b.rows.map((r) => ({ name: r.name, schedule: r.schedule, before: r.before, after: { ...r.after, finalLoss: Number.isFinite(r.after.finalLoss) ? r.after.finalLoss : null } })) };
}

/** The HTML section. */
export function beforeAfterSection(b: BeforeAfter): Section {
  return { title: 'Before and after the new runs', html: `<div class="verdict"><p><strong>${escapeHtml(b.text)}</strong></p></div><div class="scroll">${htmlTable(HEADERS, rows(b).map((r) => [r[0], ...r.slice(1).map((v) => ({ num: v }))]))}</div><p class="meta">Before: ${escapeHtml(b.path)}${b.dropped.length > 0 ? `; not ranked now: ${escapeHtml(b.dropped.join(', '))}` : ''}.</p>` };
}
