/** Where predict/compare/check get their law: a params file (--params) or a fit made on the spot (--fit). */
import { usageError } from '../errors.js';
import { lawByName } from '../law/registry.js';
import type { ModelName } from '../law/types.js';
import { errorContext, type FittedLaw, lawFromFit } from '../predict/fitted-law.js';
import { readAnnealPrior } from '../predict/prior.js';
import { readParamsFile } from '../predict/params-file.js';
import type { Output } from './output.js';
import { loadRuns } from './commands/fit.js';
import { fitOptions, type FitOptionValues, ignoredOptionWarnings, type LogOptionValues, modelsOf, paramsOptionWarnings } from './options.js';
import { bootstrapWithProgress, intervalOptionsIgnored, type UncertaintyOptionValues, withPresentation } from './uncertainty.js';
import { type Warning, warning } from '../warnings.js';
import type { AnnealPrior } from '../verdict/law-error.js';
import type { Run } from '../core/run.js';

/** Options naming the law. */
export interface LawSourceOptions extends LogOptionValues, FitOptionValues, UncertaintyOptionValues {
  params?: string;
  fit?: string[];
}

/**
 * Loads the law(s) from --params, or fits them from --fit logs (one per --model; two for
 * --model both, on the same runs). A params file uses the law it records.
 */
export async function resolveLaws(o: LawSourceOptions, out: Output): Promise<FittedLaw[]> {
  if (o.params && o.fit?.length) throw usageError('give either --params FILE or --fit LOG@SPEC, not both');
  if (o.params) {
    if (o.model === 'both') throw usageError('--model both needs --fit LOG@SPEC (a params file holds one law)');
    const law = readParamsFile(o.params);
    if (o.model !== undefined && o.model !== law.model.law) throw usageError(`${o.params} holds a ${lawByName(law.model.law).title} fit, not --model ${o.model}; drop --model or refit with losscast fit --model ${o.model}`);
    for (const w of paramsOptionWarnings(o, o.params)) out.warn(w);
    if (o.samples !== undefined || o.seed !== undefined) out.warn(warning('option-ignored', `--samples/--seed are ignored with --params: the bootstrap is the one saved in ${o.params}${law.uncertainty ? '' : ' (it has none: refit with losscast fit … -o FILE for intervals)'}`));
    if (!law.uncertainty) for (const w of intervalOptionsIgnored(o, `because ${o.params} has no bootstrap (refit with losscast fit … -o FILE for intervals)`)) out.warn(w);
    const uncertainty = withPresentation(law.uncertainty, o);
    return [withPrior({ ...law, ...(uncertainty ? { uncertainty } : {}), ...(o.lawError === false ? { withoutLawError: true } : {}) }, o.prior)];
  }
  if (!o.fit?.length) throw usageError('no law: give --params FILE (from losscast fit -o) or --fit LOG@SPEC (repeatable)');
  return (await fitFromLogs(o, out)).laws;
}

/** Fits the law(s) on the --fit logs (one per --model; two for --model both), with the runs they were fitted on. */
export async function fitFromLogs(o: LawSourceOptions, out: Output): Promise<{ runs: Run[]; laws: FittedLaw[] }> {
  const runs = await loadRuns(o.fit ?? [], { ...o, schedule: undefined });
  for (const w of runs.flatMap((r) => r.warnings)) out.warn(w);
  const laws: FittedLaw[] = [];
  for (const name of modelsOf(o)) {
    if (o.model !== 'both') for (const w of ignoredOptionWarnings(name, o)) out.warn(w);
    const fit = lawByName(name).fit(runs, fitOptions(o));
    const { uncertainty, notes } = await bootstrapWithProgress(runs, fit, fitOptions(o), o);
    for (const w of [...fit.notes, ...notes]) out.warn(w);
    const law = withPrior({ ...lawFromFit(fit, runs, uncertainty, [...fit.notes, ...notes]), ...(o.lawError === false ? { withoutLawError: true } : {}) }, o.prior);
    for (const w of law.notes.filter((n) => n.code.startsWith('prior-'))) out.warn(w);
    laws.push(law);
  }
  return { runs, laws };
}

/**
 * What --prior lends a fitted law: the annealing prior when its fit could not identify what a
 * decay gains, and a note either way, so the prior is never used or ignored silently.
 */
export function priorFor(law: FittedLaw, paths: readonly string[] | undefined): { annealPrior?: AnnealPrior; note?: Warning } {
  if (!paths || paths.length === 0) return {};
  const prior = readAnnealPrior(paths);
  if (!errorContext(law).annealUnknown) return { note: warning('prior-unused', `--prior: the fitted runs anneal, so they identify what a decay gains themselves; ${prior.source} is not used`) };
  return { annealPrior: prior, note: warning('prior-used', `no fitted run anneals: what a decay gains comes from ${prior.source}`) };
}

/** The law with --prior applied (its note added to the law's notes, which predictions repeat). */
export function withPrior(law: FittedLaw, paths: readonly string[] | undefined): FittedLaw {
  const { annealPrior, note } = priorFor(law, paths);
  return { ...law, ...(annealPrior ? { annealPrior } : {}), notes: note ? [...law.notes, note] : law.notes };
}

/** The one law of a command that takes one (its --model has no "both"). */
export async function resolveLaw(o: LawSourceOptions, out: Output): Promise<FittedLaw> {
  return (await resolveLaws(o, out))[0];
}
