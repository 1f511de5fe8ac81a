/** Where predict/compare get their law: a params file (--params) or a fit made on the spot (--fit). */
import { usageError } from '../errors.js';
import { fitLaw } from '../fit/fit-law.js';
import { type FittedLaw, lawFromFit, readParamsFile } from '../predict/fitted-law.js';
import type { Output } from './output.js';
import { loadRuns } from './commands/fit.js';
import { fitOptions, type FitOptionValues, type LogOptionValues } from './options.js';

/** Options naming the law. */
export interface LawSourceOptions extends LogOptionValues, FitOptionValues {
  params?: string;
  fit?: string[];
}

/** Loads the law from --params, or fits it from --fit logs. */
export async function resolveLaw(o: LawSourceOptions, out: Output): Promise<FittedLaw> {
  if (o.params && o.fit?.length) throw usageError('give either --params FILE or --fit LOG@SPEC, not both');
  if (o.params) return readParamsFile(o.params);
  if (!o.fit?.length) throw usageError('no law: give --params FILE (from losscast fit -o) or --fit LOG@SPEC (repeatable)');
  const runs = await loadRuns(o.fit, { ...o, schedule: undefined });
  const fit = fitLaw(runs, fitOptions(o));
  for (const w of [...runs.flatMap((r) => r.warnings), ...fit.notes]) out.warn(w);
  return lawFromFit(fit, runs);
}
