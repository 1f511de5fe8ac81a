/**
 * Held-out evidence from the user's own runs: the folds on which each law's error on data it did
 * not see is measured. Two kinds:
 * - leave one run out: fit the others, predict that run (only when the others still anneal, so
 *   the annealing part of the law is identified: a constant run alone predicts no cooldown);
 * - a held-out tail: fit every run with one annealing run cut part-way through its anneal, predict
 *   the rest of that run (forward chaining into a deeper anneal than the fit saw).
 * Folds are plain data; fitting and scoring them is the caller's (see evidence.ts).
 */
import { profileAnneals, truncateProfile } from '../../core/lr-profile.js';
import type { Run } from '../../core/run.js';
import { selectPoints, strided, type PointWindow, MIN_RUN_POINTS } from '../../fit/points.js';

/** Where a tail fold cuts an annealing run: these fractions of the way from its first LR drop to its last point. */
export const TAIL_CUTS: readonly number[] = [0.5, 0.75];

/** One held-out fold. */
export interface Fold {
  kind: 'leave-one-out' | 'tail';
  /** For people: "cosine_24000 held out", "cosine_24000 after step 14,400". */
  label: string;
  /** The runs fitted in this fold (one of them may be cut). */
  train: Run[];
  /** The run predicted (whole). */
  held: Run;
  /** The scored steps of the held run, and its observed loss there. */
  steps: number[];
  observed: number[];
}

/**
 * Most points of a run a fold's fits use: longer runs are thinned to this many, evenly spaced with
 * the last kept (the Multi-Power Law fits at most 3,000 anyway; a fold only needs the fitted law,
 * not metrics over a million points).
 */
export const MAX_FOLD_FIT_POINTS = 3000;

/** `run` with at most MAX_FOLD_FIT_POINTS of its points (itself when it has no more). */
export function thinnedRun(run: Run): Run {
  if (run.steps.length <= MAX_FOLD_FIT_POINTS) return run;
  const keep = strided(run.steps.length, Math.ceil(run.steps.length / MAX_FOLD_FIT_POINTS));
  return { ...run, steps: keep.map((i) => run.steps[i]), loss: keep.map((i) => run.loss[i]) };
}

/** `run` with only its points at or before `step`, and its LR profile cut there. */
export function cutRun(run: Run, step: number): Run {
  const keep = run.steps.filter((s) => s <= step).length;
  const steps = run.steps.slice(0, keep);
  const lr = truncateProfile(run.lr, Math.max(1, steps[steps.length - 1] ?? 1));
  return { ...run, steps, loss: run.loss.slice(0, keep), lr, anneals: profileAnneals(lr) };
}

/** The first step after the warmup whose LR is below 99 % of the peak (where the anneal starts), or null. */
export function annealStart(run: Run): number | null {
  for (const seg of run.lr.segments) {
    if (seg.to <= run.lr.warmupEnd) continue;
    const from = Math.max(seg.from, run.lr.warmupEnd);
    if ('lr' in seg) {
      if (seg.lr < 0.99 * run.lr.peak) return from;
      continue;
    }
    for (let t = from; t < seg.to; t++) if (seg.lrAt(t) < 0.99 * run.lr.peak) return t;
  }
  return null;
}

/**
 * Most points a fold is scored on: a held-out part with more is scored on this many, evenly spaced
 * with its last kept (a fold's score is a mean over its points; predicting a million of them would
 * cost a minute and move it by nothing that matters).
 */
export const MAX_FOLD_POINTS = 2000;

/** The held-out points of a run after `after` (at most MAX_FOLD_POINTS, evenly spaced). */
function scored(run: Run, window: PointWindow, after = -Infinity): { steps: number[]; observed: number[] } {
  const p = selectPoints(run, window);
  const kept: number[] = [];
  for (let i = 0; i < p.steps.length; i++) if (p.steps[i] > after) kept.push(i);
  const stride = Math.max(1, Math.ceil(kept.length / MAX_FOLD_POINTS));
  const picked = kept.filter((_, k) => (kept.length - 1 - k) % stride === 0); // the last point always in
  return { steps: picked.map((i) => p.steps[i]), observed: picked.map((i) => p.loss[i]) };
}

function annealsInWindow(runs: readonly Run[], window: PointWindow): boolean {
  return runs.some((r) => {
    const p = selectPoints(r, window);
    return p.steps.length >= MIN_RUN_POINTS && p.anneals;
  });
}

function usable(run: Run, window: PointWindow): boolean {
  return selectPoints(run, window).steps.length >= MIN_RUN_POINTS;
}

/**
 * The held-out folds of a set of runs (fit window `window`, as the fit used): one per run that can
 * be left out with the rest still annealing, and TAIL_CUTS.length per annealing run whose cut
 * leaves enough points on both sides.
 */
export function evidenceFolds(runs: readonly Run[], window: PointWindow = {}): Fold[] {
  const folds: Fold[] = [];
  runs.forEach((held, i) => {
    const others = runs.filter((_, j) => j !== i);
    if (others.length === 0 || !others.every((r) => usable(r, window)) || !annealsInWindow(others, window)) return;
    const s = scored(held, window);
    if (s.steps.length < MIN_RUN_POINTS) return;
    folds.push({ kind: 'leave-one-out', label: `${held.label} held out`, train: others.map(thinnedRun), held, ...s });
  });
  runs.forEach((run, i) => {
    const start = annealStart(run);
    const points = selectPoints(run, window);
    if (start === null || points.steps.length === 0) return;
    const last = points.steps[points.steps.length - 1];
    for (const f of TAIL_CUTS) {
      const cutAt = Math.round(start + f * (last - start));
      const cut = cutRun(run, cutAt);
      const train = runs.map((r, j) => thinnedRun(j === i ? cut : r));
      const s = scored(run, window, cutAt);
      if (s.steps.length < MIN_RUN_POINTS || !usable(cut, window) || !annealsInWindow(train, window)) continue;
      folds.push({ kind: 'tail', label: `${run.label} after step ${cutAt.toLocaleString('en-US')}`, train, held: run, ...s });
    }
  });
  return folds;
}
