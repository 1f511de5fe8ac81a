/** Text and JSON views of what `inspect` found in a log. */
import type { LogReport, SeriesSummary } from '../io/inspect.js';
import { SCHEMA_VERSION } from './json.js';
import { BOLD, DIM, formatNumber, formatStep, paint } from './style.js';
import { renderTable } from './table.js';

function seriesRow(name: string, s: SeriesSummary | null): string[] {
  if (!s) return [name, '—', '0', '', '', ''];
  return [name, s.column ?? '', String(s.points), `${formatStep(s.firstStep)}–${formatStep(s.lastStep)}`, formatNumber(s.first), formatNumber(s.last)];
}

/** The full report of one log (or one run of it). */
export function renderInspectReport(r: LogReport, color: boolean): string {
  const lines: string[] = [];
  lines.push(`${paint(r.file, BOLD, color)}${r.run !== null ? `  run ${JSON.stringify(r.run)}` : ''}`);
  lines.push(`  format       ${r.format}  ${paint(`(${r.formatDescription})`, DIM, color)}`);
  if (r.totalSteps !== null) lines.push(`  total steps  ${formatStep(r.totalSteps)} (stated in the log)`);
  lines.push('');
  const table = renderTable(['series', 'column', 'points', 'steps', 'first', 'last'], [seriesRow('train loss', r.series.train), seriesRow('eval loss', r.series.eval), seriesRow('LR', r.series.lr)], { color });
  lines.push(...table.split('\n').map((l) => `  ${l}`));
  lines.push('');
  lines.push(`  fit uses     ${r.fitSeries === null ? 'nothing: no loss values' : `${r.fitSeries} loss`}${r.fitSeries !== null ? paint('  (--series train|eval to choose)', DIM, color) : ''}`);
  lines.push(`  LR source    ${r.lrSource === null ? `none: ${r.lrNote}` : `${r.lrSource}: ${r.lrNote}`}`);
  if (r.runs.length > 1) lines.push(`  runs in file ${r.runs.length} (choose with --run NAME)`);
  for (const s of r.skipped) lines.push(`  skipped      ${s.count} × ${s.reason}${s.firstLine !== undefined ? ` (first at ${s.unit ?? 'line'} ${s.firstLine})` : ''}`);
  for (const w of r.warnings) lines.push(`  ${paint('warning', '\x1b[33m', color)}      ${w}`);
  return lines.join('\n');
}

/** The compact view of a multi-run file: one row per run. */
export function renderRunList(reports: readonly LogReport[], color: boolean): string {
  const first = reports[0];
  const head = [
    `${paint(first.file, BOLD, color)}`,
    `  format       ${first.format}  ${paint(`(${first.formatDescription})`, DIM, color)}`,
    `  ${reports.length} runs; fit or inspect one with --run NAME`,
    '',
  ];
  const rows = reports.map((r) => {
    const s = r.series.train ?? r.series.eval;
    return [r.run ?? '', s?.column?.replace(`${r.run} - `, '') ?? '—', String(s?.points ?? 0), s ? `${formatStep(s.firstStep)}–${formatStep(s.lastStep)}` : '', s ? formatNumber(s.last) : '', r.series.lr ? 'yes' : 'no'];
  });
  const table = renderTable(['run', 'metric', 'points', 'steps', 'last', 'LR'], rows, { color });
  const warnings = [...new Set(reports.flatMap((r) => r.warnings))].map((w) => `  ${paint('warning', '\x1b[33m', color)} ${w}`);
  return [...head, ...table.split('\n').map((l) => `  ${l}`), ...(warnings.length ? ['', ...warnings] : [])].join('\n');
}

/** The --json document of inspect. */
export function inspectJson(reports: readonly LogReport[]) {
  return {
    schemaVersion: SCHEMA_VERSION,
    command: 'inspect',
    logs: reports.map((r) => ({
      file: r.file,
      format: r.format,
      formatDescription: r.formatDescription,
      runs: r.runs,
      run: r.run,
      totalSteps: r.totalSteps,
      series: r.series,
      fitSeries: r.fitSeries,
      lrSource: r.lrSource,
      lrNote: r.lrNote,
      skipped: r.skipped.map((s) => ({ reason: s.reason, count: s.count, firstLine: s.firstLine ?? null, ...(s.unit ? { unit: s.unit } : {}) })),
      warnings: r.warnings.map((message) => ({ code: 'log-read', message })),
    })),
  };
}
