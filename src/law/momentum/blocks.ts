/**
 * The momentum law's final loss on a block schedule, with its gradient. Both areas are linear in
 * the per-step LR (S1 = Σ η, S2 = Σ of LR drops weighted by their decayed momentum), so
 *   S1 = s1₀ + Σ_b η_b·n_b,   S2 = s2₀ + Σ_b η_b·w_b
 * where s1₀, s2₀ are the warmup's share and w_b the annealing area of block b alone (with
 * warmupAsPeak the warmup is held at block 0's LR, so it joins block 0). Those come from the same
 * area code as every prediction, once per plan; each evaluation is then O(blocks).
 */
import { type LrSegment, makeProfile } from '../../core/lr-profile.js';
import type { BlockObjective, BlockPlan, LawSettings } from '../types.js';
import { momentumAreas } from './areas.js';
import type { MomentumParams } from './law.js';

/** The block objective of one momentum law for one plan. */
export function momentumBlockObjective(p: MomentumParams, settings: LawSettings, plan: BlockPlan): BlockObjective {
  const { peak, warmup, lengths } = plan;
  const total = warmup + lengths.reduce((a, b) => a + b, 0);
  const end = plan.warmupEnd ?? warmup;
  const rampAt = (t: number) => (peak * t) / warmup;
  // the warmup as the law sees it: the real ramp, or (warmupAsPeak) held at the LR of step `end`,
  // which is block 0's own LR when the warmup ends where block 0 starts
  const asPeak = Boolean(settings.warmupAsPeak) && end > 0;
  const blockZeroFrom = asPeak && end >= warmup ? 0 : warmup;
  const fixed: LrSegment[] = [];
  if (asPeak && end < warmup) fixed.push({ from: 0, to: end, lr: rampAt(end) }, { from: end, to: warmup, lrAt: rampAt });
  else if (!asPeak && warmup > 0) fixed.push({ from: 0, to: warmup, lrAt: rampAt });
  const base = makeProfile([...fixed, { from: fixed.length > 0 ? warmup : 0, to: total, lr: 0 }], { peak, warmupEnd: end });
  const areas = momentumAreas(base, [total], p.lambda);
  const s1Base = areas.s1[0];
  const s2Base = areas.s2[0];
  const widths = new Float64Array(lengths.length);
  const weights = new Float64Array(lengths.length);
  let start = warmup;
  lengths.forEach((n, b) => {
    // block b at LR 1, every other step at 0: its own share of S1 and S2 at the end
    const from = b === 0 ? blockZeroFrom : start;
    const alone = makeProfile([{ from: 0, to: from, lr: 0 }, { from, to: start + n, lr: 1 }, { from: start + n, to: total, lr: 0 }], { peak: 1, warmupEnd: from });
    const a = momentumAreas(alone, [total], p.lambda);
    widths[b] = a.s1[0];
    weights[b] = a.s2[0];
    start += n;
  });
  return (lrs, gradient) => {
    let s1 = s1Base;
    let s2 = s2Base;
    for (let b = 0; b < lengths.length; b++) {
      s1 += lrs[b] * widths[b];
      s2 += lrs[b] * weights[b];
    }
    const power = Math.pow(s1, -p.alpha);
    if (gradient) {
      const slope = (-p.alpha * p.A * power) / s1;
      for (let b = 0; b < lengths.length; b++) gradient[b] = slope * widths[b] - p.C * weights[b];
    }
    return p.L0 + p.A * power - p.C * s2;
  };
}
