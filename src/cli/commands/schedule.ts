/** `losscast schedule`: draw a schedule's LR, or list every family and its keys. */
import type { Command } from 'commander';
import { usageError } from '../../errors.js';
import { renderChart } from '../../render/chart.js';
import { BOLD, DIM, formatNumber, formatStep, paint, terminalWidth } from '../../render/style.js';
import { FAMILIES } from '../../schedule/families.js';
import { forwardAreaAt, lrAt, lrsAt } from '../../core/lr-profile.js';
import { parseSchedule, scheduleProfile } from '../../schedule/schedule.js';
import { SCHEMA_VERSION } from '../../render/json.js';
import { scheduleLength } from '../../predict/simulate.js';
import { makeOutput, printJson } from '../output.js';
import { parseWhole } from '../options.js';

/** The --list text: every family, its formula, keys and an example. */
export function renderFamilyList(color: boolean): string {
  const lines: string[] = [paint('Schedule families (spec: NAME:key=value,...; lists use "/")', BOLD, color)];
  lines.push(paint('  every family: peak (LR at the top), warmup (linear from 0; 0 = none), total (steps)', DIM, color));
  lines.push(paint('  step values below 1 are fractions of total (decay=0.2); whole numbers are steps (decay=4800)', DIM, color));
  for (const f of FAMILIES) {
    lines.push('');
    lines.push(`${paint(f.name, BOLD, color)}  ${f.summary}`);
    lines.push(`  η(t) = ${f.formula.replace(/^η = /, '')}`);
    for (const k of f.keys) lines.push(`  ${k.key.padEnd(11)} ${k.meaning}${k.fallback ? ` (default ${k.fallback})` : ''}`);
    lines.push(paint(`  e.g. ${f.example}`, DIM, color));
    lines.push(paint(`  source: ${f.source}`, DIM, color));
  }
  return lines.join('\n');
}

/** Registers the command. */
export function registerSchedule(program: Command): void {
  program
    .command('schedule')
    .summary('draw a schedule, or list the schedule families')
    .argument('[spec]', 'a schedule spec, e.g. "wsd:peak=3e-4,warmup=2160,total=24000,decay=0.2,shape=1-sqrt"')
    .option('--list', 'list every family with its keys and an example')
    .option('--total <n>', 'length for specs without total', parseWhole)
    .option('--json', 'print the family list or the schedule as JSON')
    .option('-q, --quiet', 'nothing on stderr but errors')
    .addHelpText('after', '\nExamples:\n  losscast schedule --list\n  losscast schedule "wsd:peak=3e-4,warmup=2160,total=24000,decay=0.2,shape=1-sqrt"\n  losscast schedule "step811:peak=3e-4,warmup=2000,total=24000"\n\nExit codes: 0 success, 2 usage error (a bad spec).')
    .action((spec: string | undefined, o: { list?: boolean; total?: number; json?: boolean; quiet?: boolean }) => {
      const out = makeOutput(o);
      if (o.list || spec === undefined) {
        if (!o.list) throw usageError('give a schedule spec, or --list to see the families');
        if (o.json) printJson({ schemaVersion: SCHEMA_VERSION, command: 'schedule', families: FAMILIES.map((f) => ({ name: f.name, summary: f.summary, formula: f.formula, source: f.source, example: f.example, keys: ['peak', ...(f.hasWarmup ? ['warmup'] : []), 'total', ...f.keys.map((k) => k.key)] })) });
        else out.result(renderFamilyList(out.color));
        return;
      }
      const schedule = parseSchedule(spec);
      const total = scheduleLength(schedule, o.total);
      const profile = scheduleProfile(schedule, total);
      const area = forwardAreaAt(profile, [total])[0];
      const every = Math.max(1, Math.floor(total / 2000));
      const x: number[] = [];
      for (let t = 0; t < total; t += every) x.push(t);
      const y = lrsAt(profile, x);
      const finalLr = lrAt(profile, total - 1);
      if (o.json) {
        printJson({ schemaVersion: SCHEMA_VERSION, command: 'schedule', schedule: schedule.text, family: schedule.family, peak: schedule.peak, warmup: schedule.warmup, total, finalLr, forwardArea: area });
        return;
      }
      out.result(paint(`${schedule.text}`, BOLD, out.color));
      out.result(`  peak ${formatNumber(schedule.peak)}   warmup ${formatStep(schedule.warmup)}   total ${formatStep(total)}   final LR ${formatNumber(finalLr)}   forward area S1 ${formatNumber(area)}\n`);
      out.result(renderChart([{ name: 'learning rate', x, y }], { width: terminalWidth(), height: 12, color: out.color, formatY: (v) => v.toExponential(2) }));
    });
}
