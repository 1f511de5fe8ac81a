/**
 * The shell of every HTML report: one self-contained page (inline CSS, inline SVG, no script or
 * font from the network) with a light and a dark colour scheme, print styles, the command line
 * and losscast version that made it, and its warnings.
 */
import { formatSigned } from '../../text/signed.js';
import { VERSION } from '../../version.js';
import type { Warning } from '../../warnings.js';
import { type Decision, rankWarnings, unsaidWarnings } from '../decision.js';
import { HTML_PALETTE } from '../palette.js';
import { readableNumbers } from '../precision.js';

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A schedule spec for HTML, escaped, with a line-break opportunity after every comma (never inside a number). */
export function specHtml(spec: string): string {
  return escapeHtml(spec).replace(/,/g, ',<wbr>');
}

/** An interval for HTML: "2.6849 – 2.7061", or signed for differences ("−0.0027 to +0.0128"); "—" when missing. */
export function intervalHtml(i: { lo: number; hi: number } | null | undefined, signed = false, digits = 4): string {
  if (!i || !Number.isFinite(i.lo) || !Number.isFinite(i.hi)) return '—';
  const f = (v: number) => (signed ? formatSigned(v, digits) : `${v < 0 ? '−' : ''}${Math.abs(v).toFixed(digits)}`);
  return signed ? `${f(i.lo)} to ${f(i.hi)}` : `${f(i.lo)} – ${f(i.hi)}`;
}

const PALETTE = HTML_PALETTE;

const MONO = 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';

const CSS = `
:root { color-scheme: light dark; --band-opacity: 0.2; --bg: #ffffff; --fg: #1d1f23; --muted: #5c6370; --line: #d9dde3; --grid: #eceff3; --panel: #f6f7f9; --warn: #8a5a00; --warn-bg: #fff6e0; --good: #1a7f37; --bad: #b42318; --bad-bg: #fdecea; --shade: rgba(120, 120, 140, 0.10);
${PALETTE.light.map((c, i) => `  --c${i}: ${c};`).join('\n')} }
@media (prefers-color-scheme: dark) { :root { --band-opacity: 0.3; --bg: #16181c; --fg: #e6e8eb; --muted: #9aa3ad; --line: #343a42; --grid: #262a30; --panel: #1e2126; --warn: #f4c14b; --warn-bg: #2d2614; --good: #4cc26b; --bad: #ff7b72; --bad-bg: #3a1d1b; --shade: rgba(160, 170, 190, 0.10);
${PALETTE.dark.map((c, i) => `  --c${i}: ${c};`).join('\n')} } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 28px 24px 48px; }
h1 { font-size: 24px; margin: 0 0 8px; }
h2 { font-size: 18px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 22px 0 6px; }
p { margin: 6px 0; }
.meta { color: var(--muted); font-size: 13px; }
code, .mono { font: 13px/1.45 ${MONO}; }
.command { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
.decision { background: var(--panel); border: 1px solid var(--line); border-left: 5px solid var(--good); border-radius: 6px; padding: 12px 16px; margin: 10px 0 16px; }
.decision .answer { font-size: 17px; font-weight: 600; margin: 0; overflow-wrap: anywhere; }
.decision .misses { color: var(--bad); font-weight: 600; margin: 8px 0 0; }
.decision .misses.none { color: var(--good); }
.decision ol { margin: 8px 0 0; padding-left: 20px; font-size: 14px; }
.decision li { margin: 3px 0; }
.decision .label { color: var(--muted); font-size: 12.5px; text-transform: uppercase; letter-spacing: 0.04em; margin: 10px 0 0; }
.verdict { font-size: 16px; background: var(--panel); border-left: 4px solid var(--c0); padding: 10px 14px; border-radius: 4px; margin: 14px 0; }
.figure { margin: 14px 0 20px; }
.figure svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 13px; margin: 0 0 4px; }
figcaption .title { font-weight: 600; font-size: 14px; display: block; }
.legend { display: flex; flex-wrap: wrap; gap: 2px 14px; color: var(--fg); }
.key { display: inline-flex; align-items: center; gap: 5px; overflow-wrap: anywhere; }
.swatch { display: inline-block; width: 16px; height: 3px; border-radius: 2px; flex: none; }
.swatch.dot { width: 7px; height: 7px; border-radius: 50%; }
.swatch.area { height: 9px; opacity: 0.45; }
.swatch.shade { height: 9px; background: var(--shade); border: 1px dashed var(--muted); }
${PALETTE.light.map((_, i) => `.bg${i} { background: var(--c${i}); } .fg${i} { color: var(--c${i}); }`).join('\n')}
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13.5px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 9px; text-align: left; vertical-align: top; }
th { color: var(--muted); font-weight: 600; border-bottom: 2px solid var(--line); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.spec { font: 12.5px/1.4 ${MONO}; overflow-wrap: anywhere; white-space: normal; min-width: 18em; }
tr.disagree td { background: var(--warn-bg); }
tr.miss td { background: var(--bad-bg); }
.spec-line { font: 11.5px/1.35 ${MONO}; color: var(--muted); overflow-wrap: anywhere; white-space: normal; max-width: 30em; }
td .spec-line { min-width: 12em; }
.name { font-weight: 600; overflow-wrap: break-word; }
.tag { display: inline-block; font-size: 12px; padding: 0 6px; border-radius: 10px; border: 1px solid var(--line); color: var(--muted); margin-right: 4px; white-space: nowrap; }
.tag.best { color: var(--good); border-color: var(--good); }
.tag.warn { color: var(--warn); border-color: var(--warn); }
.tag.bad { color: var(--bad); border-color: var(--bad); }
.warnings { background: var(--warn-bg); border: 1px solid var(--warn); border-radius: 6px; padding: 8px 14px; list-style: none; }
.warnings li { margin: 3px 0; }
.warnings code { color: var(--warn); }
.scroll { overflow-x: auto; }
.gaps { margin: 10px 0 18px; font-size: 13px; }
.gap-row { display: grid; grid-template-columns: 15em 1fr 6.5em; gap: 10px; align-items: center; padding: 3px 0; border-bottom: 1px solid var(--grid); }
.gap-row .label { overflow-wrap: anywhere; }
.gap-track { position: relative; height: 16px; }
.gap-track .zero { position: absolute; top: -3px; bottom: -3px; width: 0; border-left: 1px dashed var(--muted); }
.gap-track .whisker { position: absolute; top: 7px; height: 3px; border-radius: 2px; opacity: 0.75; }
.gap-track .point { position: absolute; top: 3px; width: 11px; height: 11px; margin-left: -5.5px; border-radius: 50%; border: 1.5px solid var(--bg); }
.gap-track .observed { position: absolute; top: 2px; width: 10px; height: 10px; margin-left: -5px; transform: rotate(45deg); border: 2px solid var(--fg); background: var(--bg); }
.gap-row .value { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.gap-axis { display: grid; grid-template-columns: 15em 1fr 6.5em; gap: 10px; color: var(--muted); font-size: 12px; }
.gap-axis .ends { position: relative; height: 1.4em; }
.gap-axis .tick { position: absolute; transform: translateX(-50%); white-space: nowrap; }
.gap-caption { color: var(--muted); font-size: 12.5px; margin: 4px 0 0; }
svg text { fill: var(--fg); font: 11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
svg .axis-label { fill: var(--muted); }
svg .grid { stroke: var(--grid); }
svg .axis { stroke: var(--line); }
svg .frame { fill: none; stroke: var(--line); }
svg .shade { fill: var(--shade); }
svg .shade-label { fill: var(--muted); font-style: italic; }
${PALETTE.light.map((_, i) => `svg .s${i} { stroke: var(--c${i}); } svg .f${i} { fill: var(--c${i}); }`).join('\n')}
svg .series { fill: none; stroke-width: 1.8; stroke-linejoin: round; stroke-linecap: round; }
svg .series.dashed { stroke-dasharray: 5 4; }
svg .series.thin { stroke-width: 1; opacity: 0.6; }
svg .series.observed { stroke-width: 2.4; }
svg .series-dots circle { stroke: var(--bg); stroke-width: 0.7; }
svg .band { opacity: var(--band-opacity); stroke: none; }
svg .band.many { opacity: calc(var(--band-opacity) * 0.55); }
svg .band-edge { fill: none; stroke-width: 0.8; opacity: 0.7; stroke-dasharray: 2 2; }
svg .zero { stroke: var(--muted); stroke-dasharray: 2 3; }
svg .hit:hover { stroke: var(--fg); stroke-width: 2; }
footer { margin-top: 40px; color: var(--muted); font-size: 12.5px; border-top: 1px solid var(--line); padding-top: 10px; }
@media (max-width: 600px) {
  main { padding: 16px 12px 32px; }
  h1 { font-size: 20px; }
  .decision .answer { font-size: 16px; }
  /* tables become cards: one row per block, each value labelled by its column */
  .stack table, .stack tbody, .stack tr, .stack td { display: block; width: 100%; }
  .stack thead { display: none; }
  .stack tr { border-bottom: 1px solid var(--line); padding: 6px 0; }
  .stack td { border: none; padding: 1px 0; text-align: left; white-space: normal; min-width: 0; }
  .stack td.num { display: flex; justify-content: space-between; gap: 12px; }
  .stack td[data-label]:not([data-label=""])::before { content: attr(data-label); color: var(--muted); font-size: 12.5px; margin-right: 8px; }
  .spec-line, td .spec-line { max-width: none; min-width: 0; }
  svg text { font-size: 26px; }
  svg .minor, svg .y-title { display: none; }
  .gap-row, .gap-axis { grid-template-columns: 7.5em 1fr 5.5em; gap: 6px; }
}
@media print { :root { --bg: #fff; --fg: #000; } main { max-width: none; padding: 0; } h2 { break-after: avoid; } .figure, table { break-inside: avoid; } }
`;

/** A section of a report: a heading and its HTML. */
export interface Section {
  title: string;
  html: string;
}

/** What every report page carries. */
export interface PageContent {
  title: string;
  /** One sentence under the title: what the page shows. */
  subtitle: string;
  /** The command line that made it (argv after the program). */
  argv: readonly string[];
  sections: Section[];
  warnings: readonly Warning[];
  /** The answer the page leads with (before any chart); the warnings that bear on it are listed under it. */
  decision?: Decision;
}

/** An argv as a shell line (arguments with spaces or quotes quoted). */
export function commandLine(argv: readonly string[]): string {
  return ['losscast', ...argv].map((a) => (/^[\w./:=@,%+-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(' ');
}

/** The decision box: the answer, the observed points outside their bands, then what could change it. */
export function decisionHtml(decision: Decision, warnings: readonly Warning[]): string {
  const unsaid = unsaidWarnings(decision, warnings);
  const items = [...decision.reasons.map((r) => escapeHtml(readableNumbers(r, 6))), ...unsaid.map((w) => `<code>${escapeHtml(w.code)}</code> ${escapeHtml(readableNumbers(w.message, 6))}`)];
  // a line may break after a comma inside a schedule spec, never inside a number
  return `<div class="decision" id="decision"><p class="answer">${escapeHtml(decision.text).replace(/,(?=\S)/g, ',<wbr>')}</p>${decision.misses ? `<p class="misses${decision.misses.outside === 0 ? ' none' : ''}">${escapeHtml(decision.misses.text)}</p>` : ''}${items.length > 0 ? `<p class="label">What could change this</p><ol>${items.map((i) => `<li>${i}</li>`).join('')}</ol>` : ''}</div>`;
}

/** The whole page: title, the decision, what made it, the sections, then every warning. */
export function renderPage(content: PageContent): string {
  const { decisive, notes } = rankWarnings(content.warnings);
  const all = [...decisive, ...notes];
  const warnings = all.length === 0 ? '' : `<section><h2>Warnings</h2><ul class="warnings">${all.map((w) => `<li><code>${escapeHtml(w.code)}</code> ${escapeHtml(readableNumbers(w.message, 6))}</li>`).join('')}</ul></section>`;
  const decision = content.decision ? decisionHtml(content.decision, content.warnings) : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="losscast ${VERSION}">
<title>${escapeHtml(content.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>${escapeHtml(content.title)}</h1>
${decision}
<p class="meta">${escapeHtml(content.subtitle)}</p>
<div class="command mono">${escapeHtml(commandLine(content.argv))}</div>
${content.sections.map((s) => `<section><h2>${escapeHtml(s.title)}</h2>\n${s.html}</section>`).join('\n')}
${warnings}
<footer>Made by losscast ${VERSION} on ${new Date().toISOString().slice(0, 10)}, with the command at the top. Charts are for people, tables for copy-paste: every number in a chart is also in a table. Self-contained: nothing is loaded from the network.</footer>
</main>
</body>
</html>
`;
}
