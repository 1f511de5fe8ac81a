/**
 * Stitching a branched run after its parent: a WSD cool-down started from a checkpoint of a
 * longer run logs only its own steps; the full curve is the parent up to the branch point
 * followed by the branch.
 */
import type { Curve, Series } from '../core/curve.js';

function cutBefore(series: Series | null, step: number): Series | null {
  if (!series) return null;
  let n = 0;
  while (n < series.steps.length && series.steps[n] < step) n++;
  return n === 0 ? null : { steps: series.steps.slice(0, n), values: series.values.slice(0, n) };
}

function join(parent: Series | null, branch: Series | null, branchStart: number): Series | null {
  const head = cutBefore(parent, branch?.steps[0] ?? branchStart);
  if (!head) return branch;
  if (!branch) return head;
  return { steps: [...head.steps, ...branch.steps], values: [...head.values, ...branch.values] };
}

function firstStep(curve: Curve): number {
  const firsts = [curve.train, curve.eval, curve.lr].filter((s): s is Series => s !== null && s.steps.length > 0).map((s) => s.steps[0]);
  return firsts.length > 0 ? Math.min(...firsts) : 0;
}

/**
 * The branch curve with the parent's points put in front: for each series, the parent's
 * points before the branch's first point of that series (or before the branch's first step
 * at all, for a series the branch lacks).
 */
export function stitchAfterParent(parent: Curve, branch: Curve): Curve {
  const start = firstStep(branch);
  return {
    ...branch,
    train: join(parent.train, branch.train, start),
    eval: join(parent.eval, branch.eval, start),
    lr: join(parent.lr, branch.lr, start),
    columns: { ...parent.columns, ...branch.columns },
    totalSteps: branch.totalSteps ?? parent.totalSteps,
    skipped: [...parent.skipped, ...branch.skipped],
    warnings: [
      ...parent.warnings.map((w) => `parent ${parent.source}: ${w}`),
      ...branch.warnings,
      `stitched after the parent run ${parent.source} (its points before step ${start})`,
    ],
  };
}
