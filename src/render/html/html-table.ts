/** HTML tables: a header row and body rows; cells are text (escaped) or raw HTML, numbers right-aligned. */
import { escapeHtml } from './page.js';

/** One cell: plain text, or HTML the caller built (already escaped). */
export type Cell = string | { html: string } | { num: string } | { spec: string };

/** A cell's HTML, with the class its kind takes and its column's header (a phone shows each row as a card of labelled values). */
function cell(c: Cell, tag: 'td' | 'th', label = ''): string {
  const data = label ? ` data-label="${escapeHtml(label)}"` : '';
  if (typeof c === 'string') return `<${tag}${data}>${escapeHtml(c)}</${tag}>`;
  if ('html' in c) return `<${tag}${data}>${c.html}</${tag}>`;
  if ('num' in c) return `<${tag} class="num"${data}>${escapeHtml(c.num)}</${tag}>`;
  return `<${tag} class="spec"${data}>${escapeHtml(c.spec)}</${tag}>`;
}

/** A table; `numeric` marks the header cells of right-aligned columns. `id` names it for tests and links; `rowClasses` marks rows (e.g. "disagree"). */
export function htmlTable(headers: readonly string[], rows: readonly (readonly Cell[])[], options: { numeric?: readonly number[]; id?: string; rowClasses?: readonly string[] } = {}): string {
  const head = headers.map((h, i) => (options.numeric?.includes(i) ? `<th class="num">${escapeHtml(h)}</th>` : `<th>${escapeHtml(h)}</th>`)).join('');
  const body = rows.map((r, i) => `<tr${options.rowClasses?.[i] ? ` class="${escapeHtml(options.rowClasses[i])}"` : ''}>${r.map((c, k) => cell(c, 'td', headers[k])).join('')}</tr>`).join('\n');
  // wide tables become cards of labelled values on a phone (page.ts); narrow ones stay tables
  return `<div class="scroll${headers.length >= 5 ? ' stack' : ''}"><table${options.id ? ` id="${escapeHtml(options.id)}"` : ''}><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}
