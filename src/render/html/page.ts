/**
 * The shell of every HTML report: one self-contained page (inline CSS, inline SVG, no script or
 * font from the network) with a light and a dark colour scheme, print styles, the command line
 * and losscast version that made it, and its warnings.
 */
import { VERSION } from '../../version.js';
import type { Warning } from '../../warnings.js';

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
  const f = (v: number) => `${signed ? (v < 0 ? '−' : '+') : v < 0 ? '−' : ''}${Math.abs(v).toFixed(digits)}`;
  return signed ? `${f(i.lo)} to ${f(i.hi)}` : `${f(i.lo)} – ${f(i.hi)}`;
}

/** The chart colours (Okabe–Ito, colour-blind safe), light and dark. */
const PALETTE = {
  light: ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#1b1b1b', '#7f7f7f', '#56b4e9'],
  dark: ['#5aa9e6', '#ff8c42', '#3ccf9f', '#e39cc6', '#f4c14b', '#f2f2f2', '#a0a0a0', '#8fd3ff'],
};

const CSS = `
:root { color-scheme: light dark; --band-opacity: 0.2; --bg: #ffffff; --fg: #1d1f23; --muted: #5c6370; --line: #d9dde3; --grid: #eceff3; --panel: #f6f7f9; --warn: #8a5a00; --warn-bg: #fff6e0; --good: #1a7f37; --bad: #b42318;
${PALETTE.light.map((c, i) => `  --c${i}: ${c};`).join('\n')} }
@media (prefers-color-scheme: dark) { :root { --band-opacity: 0.38; --bg: #16181c; --fg: #e6e8eb; --muted: #9aa3ad; --line: #343a42; --grid: #262a30; --panel: #1e2126; --warn: #f4c14b; --warn-bg: #2d2614; --good: #4cc26b; --bad: #ff7b72;
${PALETTE.dark.map((c, i) => `  --c${i}: ${c};`).join('\n')} } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 28px 24px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 22px 0 6px; }
p { margin: 6px 0; }
.meta { color: var(--muted); font-size: 13px; }
code, .mono { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.command { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
.verdict { font-size: 16px; background: var(--panel); border-left: 4px solid var(--c0); padding: 10px 14px; border-radius: 4px; margin: 14px 0; }
.figure { margin: 12px 0 18px; }
.figure svg { width: 100%; height: auto; display: block; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13.5px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 9px; text-align: left; vertical-align: top; }
th { color: var(--muted); font-weight: 600; border-bottom: 2px solid var(--line); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.spec { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; white-space: normal; min-width: 18em; }
.spec-line { font: 11.5px/1.35 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--muted); overflow-wrap: anywhere; white-space: normal; max-width: 30em; }
.tag { display: inline-block; font-size: 12px; padding: 0 6px; border-radius: 10px; border: 1px solid var(--line); color: var(--muted); margin-right: 4px; }
.tag.best { color: var(--good); border-color: var(--good); }
.tag.warn { color: var(--warn); border-color: var(--warn); }
.warnings { background: var(--warn-bg); border: 1px solid var(--warn); border-radius: 6px; padding: 8px 14px; list-style: none; }
.warnings li { margin: 3px 0; }
.warnings code { color: var(--warn); }
.scroll { overflow-x: auto; }
svg text { fill: var(--fg); font: 11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
svg .title { font-size: 13px; font-weight: 600; }
svg .axis-label { fill: var(--muted); }
svg .grid { stroke: var(--grid); }
svg .axis { stroke: var(--line); }
svg .frame { fill: none; stroke: var(--line); }
${PALETTE.light.map((_, i) => `svg .s${i} { stroke: var(--c${i}); } svg .f${i} { fill: var(--c${i}); }`).join('\n')}
svg .series { fill: none; stroke-width: 1.8; stroke-linejoin: round; stroke-linecap: round; }
svg .series.dashed { stroke-dasharray: 5 4; }
svg .series.thin { stroke-width: 1; opacity: 0.55; }
svg .band { opacity: var(--band-opacity); stroke: none; }
svg .zero { stroke: var(--muted); stroke-dasharray: 2 3; }
svg .hit:hover { stroke: var(--fg); stroke-width: 2; }
footer { margin-top: 40px; color: var(--muted); font-size: 12.5px; border-top: 1px solid var(--line); padding-top: 10px; }
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
}

/** An argv as a shell line (arguments with spaces or quotes quoted). */
export function commandLine(argv: readonly string[]): string {
  return ['losscast', ...argv].map((a) => (/^[\w./:=@,%+-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(' ');
}

/** The whole page. */
export function renderPage(content: PageContent): string {
  const warnings =
    content.warnings.length === 0
      ? ''
      : `<h2>Warnings</h2><ul class="warnings">${content.warnings.map((w) => `<li><code>${escapeHtml(w.code)}</code> ${escapeHtml(w.message)}</li>`).join('')}</ul>`;
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
<p class="meta">${escapeHtml(content.subtitle)}</p>
<div class="command mono">${escapeHtml(commandLine(content.argv))}</div>
${warnings}
${content.sections.map((s) => `<section><h2>${escapeHtml(s.title)}</h2>\n${s.html}</section>`).join('\n')}
<footer>Made by losscast ${VERSION} on ${new Date().toISOString().slice(0, 10)}, with the command at the top. Charts are for people, tables for copy-paste: every number in a chart is also in a table. Self-contained: nothing is loaded from the network.</footer>
</main>
</body>
</html>
`;
}
