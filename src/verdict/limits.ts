/**
 * What the laws cannot rank, named instead of predicted through:
 * - warmup: both laws count warmup only as LR area lost, so among schedules that differ only in
 *   warmup they call the shortest best — on real 130M–1.2B runs a short warmup ends 0.01–0.08 nats
 *   *worse*. Such candidates are a tie with that reason, unless the fitted runs themselves differ in
 *   warmup (then the fit has seen its effect). A candidate whose warmup differs from every fitted
 *   run's gets a warning.
 * - annealing the fit never saw: when no fitted run anneals, the law's annealing term is unknown,
 *   so candidates whose LR decays cannot be ranked against each other (a tie with that reason).
 */
import type { Schedule } from '../schedule/schedule.js';
import { parseSpec } from '../schedule/spec.js';
import { type Warning, warning } from '../warnings.js';

/** Why a candidate is beyond what the law can rank. */
export type LimitReason = 'warmup-only' | 'annealing-unknown';

/** Warmups within this share of each other count as the same. */
const SAME_WARMUP = 0.1;

function sameWarmup(a: number, b: number): boolean {
  return Math.abs(a - b) <= Math.max(1, SAME_WARMUP * Math.max(a, b));
}

/** The spec of a schedule without its warmup (candidates with equal keys differ only in warmup); null for per-step files. */
export function specWithoutWarmup(schedule: Schedule): string | null {
  if (schedule.family === 'file') return null;
  const spec = parseSpec(schedule.text);
  const keys = [...spec.values.entries()].filter(([k]) => k !== 'warmup').sort(([a], [b]) => a.localeCompare(b));
  return `${spec.family}:${keys.map(([k, v]) => `${k}=${Number.isFinite(Number(v)) ? Number(v) : v}`).join(',')}`;
}

/** Whether the fitted runs' warmups differ (then the fit has seen what warmup does). */
export function fittedWarmupsDiffer(warmups: readonly number[]): boolean {
  return warmups.some((w) => !sameWarmup(w, warmups[0]));
}

/**
 * Per candidate, why the law cannot rank it against others (or undefined): groups of ≥ 2
 * candidates differing only in warmup (unless the fit saw warmups differ), and, when no fitted run
 * anneals, every candidate that anneals (when ≥ 2 do).
 */
export function rankingLimits(candidates: readonly { schedule: Schedule; anneals: boolean }[], fit: { warmups?: readonly number[]; annealUnknown: boolean }): (LimitReason | undefined)[] {
  const out = new Array<LimitReason | undefined>(candidates.length).fill(undefined);
  if (fit.annealUnknown && candidates.filter((c) => c.anneals).length >= 2) candidates.forEach((c, i) => (out[i] = c.anneals ? 'annealing-unknown' : undefined));
  if (fit.warmups && fit.warmups.length > 0 && fittedWarmupsDiffer(fit.warmups)) return out;
  const groups = new Map<string, number[]>();
  candidates.forEach((c, i) => {
    const key = specWithoutWarmup(c.schedule);
    if (key !== null) groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  for (const members of groups.values()) {
    const warmups = members.map((i) => candidates[i].schedule.warmup);
    if (members.length >= 2 && fittedWarmupsDiffer(warmups)) for (const i of members) out[i] ??= 'warmup-only';
  }
  return out;
}

/** What each limit means, in words (for ties and the verdict). */
export const LIMIT_TEXT: Record<LimitReason, string> = {
  'warmup-only': 'they differ only in warmup, which both laws count only as LR area lost (real 130M–1.2B runs end 0.01–0.08 nats worse with a 500-step warmup than with longer ones): beyond what the laws can rank unless the fitted runs differ in warmup',
  'annealing-unknown': 'no fitted run anneals, so the law does not know what a decay gains: it cannot rank schedules that decay; fit a run with a cooldown (or a short cooldown branch of one)',
};

/** A warning for a candidate whose warmup differs from every fitted run's (none when the fitted warmups are unknown). */
export function unseenWarmupWarning(schedule: Schedule, warmups: readonly number[] | undefined): Warning[] {
  if (!warmups || warmups.length === 0 || warmups.some((w) => sameWarmup(w, schedule.warmupEnd))) return [];
  const fitted = [...new Set(warmups)].map((w) => w.toLocaleString('en-US')).join(', ');
  return [warning('warmup-unseen', `${schedule.text}: warmup ends at step ${schedule.warmupEnd.toLocaleString('en-US')}, unlike every fitted run (${fitted}): the laws count warmup only as LR area lost, so what a different warmup does to the loss is not predicted (real runs end 0.01–0.08 nats worse with a 500-step warmup than with longer ones)`)];
}
