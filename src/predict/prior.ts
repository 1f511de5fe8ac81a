/**
 * Priors from related runs (`--prior FILE`, repeatable): params files of earlier fits (a smaller
 * model, an earlier run, another peak LR). What they lend is the one quantity a run without any
 * LR decay cannot identify — what a decay gains, the momentum law's C·η_peak — as a range: across
 * the prior files, each widened by its own bootstrap interval. A fit that does see a decay
 * identifies it itself and the prior is not used (said so).
 */
import { dataError } from '../errors.js';
import { memberKey } from '../law/mixture/members.js';
import { parameterIntervals } from './uncertainty.js';
import type { AnnealPrior } from '../verdict/law-error.js';
import { readParamsFile } from './params-file.js';
import { lawByName } from '../law/registry.js';
import type { FittedLaw } from './fitted-law.js';

/** The name of the momentum law's C in a params file of `law`, or null when the law has none. */
function annealingParam(law: string): string | null {
  if (law === 'momentum') return 'C';
  if (law === 'auto') return memberKey('momentum', 'C');
  return null;
}

/** The C·η_peak range one params file gives: its value, widened by its bootstrap interval when it has one. */
export function annealRangeOf(path: string): { lo: number; hi: number } {
  return annealRangeOfLaw(readParamsFile(path), path);
}

/** The C·η_peak range a fitted law gives (`path` names it in errors). */
export function annealRangeOfLaw(law: FittedLaw, path: string): { lo: number; hi: number } {
  const name = annealingParam(law.model.law);
  if (name === null) throw dataError(`a ${lawByName(law.model.law).title} fit cannot be a prior: its loss-drop parameters do not convert to the annealing gain (C·η_peak) losscast borrows; fit the prior runs with --model momentum or auto`, path);
  if (law.notes.some((n) => n.code === 'c-not-identifiable' || n.code === 'annealing-not-identifiable')) throw dataError('none of its runs anneals, so it knows no more about what a decay gains than a new fit would; use a fit of runs with a decay as the prior', path);
  const peak = Math.max(0, ...law.peakLrs);
  if (!(peak > 0)) throw dataError('records no peak LR of its fitted runs (a bare parameters file?); make the prior with losscast fit … -o FILE', path);
  const value = law.model.params[name] * peak;
  const spec = lawByName(law.model.law).params.find((s) => s.name === name)!;
  const interval = law.uncertainty ? parameterIntervals(law.uncertainty, [spec])[name] : { lo: law.model.params[name], hi: law.model.params[name] };
  return { lo: Math.min(value, interval.lo * peak), hi: Math.max(value, interval.hi * peak) };
}

/** The prior of several params files: the range covering every file's range (their spread and their own intervals). */
export function readAnnealPrior(paths: readonly string[]): AnnealPrior {
  const ranges = paths.map(annealRangeOf);
  const lo = Math.min(...ranges.map((r) => r.lo));
  const hi = Math.max(...ranges.map((r) => r.hi));
  return { lo, hi, source: `${paths.length === 1 ? 'the earlier fit' : `${paths.length} earlier fits`} (${paths.join(', ')}): C·η_peak ${Number(lo.toPrecision(3))}–${Number(hi.toPrecision(3))}` };
}
