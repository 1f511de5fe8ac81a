/**
 * The Multi-Power Law's final loss on a block schedule, with its gradient, in closed form. The
 * LR changes only inside the warmup ramp and at block boundaries, so the loss-drop sum has one
 * term per counted change:
 *   LD = B·Σ_k gap_k·G(C·η_k^(−γ)·(A(T) − A(k))),   G(x) = 1 − (1 + x)^(−β)
 * with the same conventions as the prediction code (changes.ts: a change at step k is counted
 * from firstCountedChange on, η clamped at MIN_LR before its power), evaluated exactly (no
 * merging) for warmups up to EXACT_RAMP_STEPS steps. O(blocks + warmup) per evaluation, gradient
 * included; a longer ramp's changes are merged as predictions merge them (PREDICT_TOLERANCE, within
 * ~1e-7 nats), so its cost and memory grow with the logarithm of its length.
 */
import { makeProfile } from '../../core/lr-profile.js';
import type { BlockObjective, BlockPlan, MplWarmup } from '../types.js';
import { MIN_LR, walkChanges } from './changes.js';
import { PREDICT_TOLERANCE, type MplParams } from './law.js';

/** Longest warmup ramp whose changes enter the objective one by one (longer ones are merged). */
export const EXACT_RAMP_STEPS = 10_000;

/** The warmup ramp's counted changes: LR drop (negative: a rise), η_k^(−γ), and the LR area before each. */
interface RampChanges {
  gap: Float64Array;
  power: Float64Array;
  area: Float64Array;
}

/**
 * The ramp's changes at steps first … warmup − 1 (η rises by peak/warmup at each): one per step up to
 * EXACT_RAMP_STEPS, merged blocks beyond (valid for any later area, as spans only grow).
 */
function rampChanges(p: MplParams, peak: number, warmup: number, first: number): RampChanges {
  const rampLr = (t: number) => (peak * t) / warmup;
  const powerOf = (logLr: number) => Math.exp(-p.gamma * logLr);
  if (warmup <= EXACT_RAMP_STEPS) {
    const count = Math.max(0, warmup - first);
    const out = { gap: new Float64Array(count), power: new Float64Array(count), area: new Float64Array(count) };
    for (let i = 0, u = first; u < warmup; u++, i++) {
      out.gap[i] = rampLr(u - 1) - rampLr(u);
      out.power[i] = powerOf(Math.log(Math.max(rampLr(u), MIN_LR)));
      out.area[i] = (peak * u * (u - 1)) / (2 * warmup);
    }
    return out;
  }
  const ramp = makeProfile([{ from: 0, to: warmup, lrAt: rampLr }], { peak, warmupEnd: warmup - 1 });
  let out: RampChanges = { gap: new Float64Array(0), power: new Float64Array(0), area: new Float64Array(0) };
  walkChanges(ramp, [warmup], { tolerance: PREDICT_TOLERANCE, skipBefore: first }, (_, __, blocks) => {
    out = { gap: blocks.gap.slice(0, blocks.count), power: new Float64Array(blocks.count), area: new Float64Array(blocks.count) };
    for (let j = 0; j < blocks.count; j++) {
      out.power[j] = powerOf(blocks.gapLogLr[j] / blocks.gap[j]);
      out.area[j] = blocks.gapArea[j] / blocks.gap[j];
    }
  });
  return out;
}

/** The block objective of one Multi-Power Law for one plan. */
export function mplBlockObjective(p: MplParams, convention: MplWarmup, plan: BlockPlan): BlockObjective {
  const { peak, warmup, lengths } = plan;
  const count = lengths.length;
  const warmupEnd = plan.warmupEnd ?? warmup;
  const firstCounted = convention === 'paper' ? warmupEnd + 1 : 0; // as firstCountedChange
  const rampLr = (t: number) => (peak * t) / warmup;
  const rampArea = warmup > 0 ? (peak * (warmup - 1)) / 2 : 0;
  // the ramp's own changes (step u: η rises by peak/warmup): fixed gap, LR and area before them
  const ramp = rampChanges(p, peak, warmup, Math.max(1, firstCounted));
  const countsFirst = warmup > 0 && warmup >= firstCounted; // the step from the ramp into block 0
  const starts: number[] = [];
  let at = warmup;
  for (const n of lengths) {
    starts.push(at);
    at += n;
  }
  const tail = new Float64Array(count + 1);
  const cover = new Float64Array(count);
  const own = new Float64Array(count);

  /** gap·G(x) for one change, adding its derivatives: `spread` per unit of area after it, `self` for its own LR. */
  const term = (gap: number, lr: number, span: number) => {
    const power = Math.exp(-p.gamma * Math.log(Math.max(lr, MIN_LR)));
    const x = p.C * power * Math.max(0, span);
    const log1px = Math.log1p(x);
    const g = -Math.expm1(-p.beta * log1px);
    const slope = p.beta * Math.exp((-p.beta - 1) * log1px); // G'(x)
    const dPower = lr > MIN_LR ? (-p.gamma * power) / lr : 0;
    return { value: gap * g, g, spread: gap * slope * p.C * power, self: gap * slope * p.C * dPower * Math.max(0, span) };
  };

  return (lrs, gradient) => {
    tail[count] = 0;
    for (let b = count - 1; b >= 0; b--) tail[b] = tail[b + 1] + lrs[b] * lengths[b];
    const total = rampArea + tail[0];
    let drop = 0;
    let coverAll = 0;
    cover.fill(0);
    own.fill(0);
    for (let r = 0; r < ramp.gap.length; r++) {
      const x = p.C * ramp.power[r] * Math.max(0, total - ramp.area[r]);
      const log1px = Math.log1p(x);
      drop += ramp.gap[r] * -Math.expm1(-p.beta * log1px);
      coverAll += ramp.gap[r] * p.beta * Math.exp((-p.beta - 1) * log1px) * p.C * ramp.power[r];
    }
    if (countsFirst) {
      const t = term(rampLr(warmup - 1) - lrs[0], lrs[0], tail[0]);
      drop += t.value;
      coverAll += t.spread;
      own[0] += -t.g + t.self;
    }
    for (let b = 1; b < count; b++) {
      if (starts[b] < firstCounted) continue;
      const t = term(lrs[b - 1] - lrs[b], lrs[b], tail[b]);
      drop += t.value;
      cover[b] += t.spread;
      own[b] += -t.g + t.self;
      own[b - 1] += t.g;
    }
    const area = Math.pow(total, -p.alpha);
    if (gradient) {
      const slope = (-p.alpha * p.A * area) / total;
      let spread = coverAll;
      for (let j = 0; j < count; j++) {
        spread += cover[j];
        gradient[j] = slope * lengths[j] - p.B * (spread * lengths[j] + own[j]);
      }
    }
    return p.L0 + p.A * area - p.B * drop;
  };
}
