/**
 * --total fills the total of the schedule specs given without one (predict, compare, schedule,
 * optimize's --baseline): `--schedule "wsd:peak=3e-4,decay=0.2" --total 24000` is the 24,000-step
 * WSD schedule, where the spec alone would be refused for lacking a total. Done on the command
 * line as parsed, before the action, so every command reads the filled spec (and reports it).
 */
import type { Command } from 'commander';
import { withTotal } from '../schedule/spec.js';

/** Options whose values are schedule specs. */
const SPEC_OPTIONS = ['schedule', 'sweep', 'baseline'] as const;

/** Adds --total to the specs of `cmd` that have no total of their own (options, and the schedule command's operand). */
export function fillTotals(cmd: Command): void {
  const opts = cmd.opts();
  const total = typeof opts.total === 'number' ? opts.total : undefined;
  if (total === undefined) return;
  for (const key of SPEC_OPTIONS) {
    const value = opts[key];
    if (typeof value === 'string') cmd.setOptionValue(key, withTotal(value, total));
    else if (Array.isArray(value)) cmd.setOptionValue(key, value.map((v) => (typeof v === 'string' ? withTotal(v, total) : v)));
  }
  cmd.registeredArguments.forEach((argument, i) => {
    if (argument.name() === 'spec' && typeof cmd.processedArgs[i] === 'string') cmd.processedArgs[i] = withTotal(cmd.processedArgs[i], total);
  });
}
