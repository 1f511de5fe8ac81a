/** HTML tables: a header row and body rows; cells are text (escaped) or raw HTML, numbers right-aligned. */
import { escapeHtml } from './page.js';

/** One cell: plain text, or HTML the caller built (already escaped). */
export type Cell = string | { html: string } | { num: string } | { spec: string };

/** A cell's HTML, with the class its kind takes. */
function cell(c: Cell, tag: 'td' | 'th'): string {
  if (typeof c === 'string') return `<${tag}>${escapeHtml(c)}</${tag}>`;
  if ('html' in c) return `<${tag}>${c.html}</${tag}>`;
  if ('num' in c) return `<${tag} class="num">${escapeHtml(c.num)}</${tag}>`;
  return `<${tag} class="spec">${escapeHtml(c.spec)}</${tag}>`;
}

/** A table; `numeric` marks the header cells of right-aligned columns. `id` names it for tests and links. */
export function htmlTable(headers: readonly string[], rows: readonly (readonly Cell[])[], options: { numeric?: readonly number[]; id?: string } = {}): string {
  const head = headers.map((h, i) => (options.numeric?.includes(i) ? `<th class="num">${escapeHtml(h)}</th>` : `<th>${escapeHtml(h)}</th>`)).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => cell(c, 'td')).join('')}</tr>`).join('\n');
  return `<div class="scroll"><table${options.id ? ` id="${escapeHtml(options.id)}"` : ''}><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}
