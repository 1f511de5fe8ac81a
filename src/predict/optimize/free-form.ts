/**
 * The best free-form schedule a law can find: after the warmup, the LR is constant on each of
 * `blocks` blocks of steps and never rises. It is parametrised by the drops between blocks,
 * d_b ≥ 0 with Σ d_b ≤ peak (η_0 = peak, η_b = peak − Σ_{j≤b} d_j), so every iterate is a valid
 * schedule, and minimised by accelerated projected gradient on the law's analytic gradient
 * (Law.blockObjective), from two starts (constant at peak; a linear cooldown over the last fifth).
 */
import type { BlockPlan, Model } from '../../law/types.js';
import { lawByName } from '../../law/registry.js';
import { specNumber } from '../../schedule/spec.js';
import type { Frame } from './family-search.js';

/** Default number of blocks: fine enough for a cooldown's shape, few enough to be fast. */
export const DEFAULT_BLOCKS = 200;
/**
 * Most blocks a free-form search takes: each adds work to every one of its thousands of
 * evaluations (1,000 blocks take a few seconds under the Multi-Power Law), and no fit of a few
 * runs identifies a schedule finer than that.
 */
export const MAX_BLOCKS = 1000;
/** Most iterations per start (each one evaluation with its gradient, and a few without). */
const ITERATIONS = 3000;

/** A free-form schedule found by the optimiser. */
export interface FreeFormResult {
  plan: BlockPlan;
  /** LR of each block (non-increasing, first = peak, all ≥ 0). */
  lrs: Float64Array;
  /** The law's final loss for it (the block objective: exact, no merging). */
  objective: number;
  /** Objective evaluations (each with its gradient). */
  evaluations: number;
}

/** Splits the steps after warmup into `blocks` blocks of nearly equal length (at least one step each). */
export function blockLengths(frame: Frame, blocks: number): number[] {
  const span = frame.total - frame.warmup;
  const count = Math.max(1, Math.min(blocks, span));
  return Array.from({ length: count }, (_, b) => Math.floor(((b + 1) * span) / count) - Math.floor((b * span) / count));
}

/** Euclidean projection onto {d ≥ 0, Σ d ≤ cap}. */
export function projectDrops(d: Float64Array, cap: number): void {
  let sum = 0;
  for (let i = 0; i < d.length; i++) sum += Math.max(0, d[i]);
  if (sum <= cap) {
    for (let i = 0; i < d.length; i++) d[i] = Math.max(0, d[i]);
    return;
  }
  // onto the simplex Σ d = cap (sort-based threshold)
  const sorted = Float64Array.from(d).sort().reverse();
  let cumulative = 0;
  let theta = 0;
  for (let k = 0; k < sorted.length; k++) {
    cumulative += sorted[k];
    const t = (cumulative - cap) / (k + 1);
    if (sorted[k] - t > 0) theta = t;
  }
  for (let i = 0; i < d.length; i++) d[i] = Math.max(0, d[i] - theta);
}

/** Block LRs from drops (block 0 at peak). */
function lrsOf(drops: Float64Array, peak: number, out: Float64Array): Float64Array {
  out[0] = peak;
  let lr = peak;
  for (let b = 1; b < out.length; b++) {
    lr -= drops[b - 1];
    out[b] = Math.max(0, lr);
  }
  return out;
}

/** Minimises the law's final loss over non-increasing block schedules in `frame`. */
export function optimizeFreeForm(model: Model, frame: Frame, blocks = DEFAULT_BLOCKS): FreeFormResult {
  const lengths = blockLengths(frame, blocks);
  const plan: BlockPlan = { peak: frame.peak, warmup: frame.warmup, lengths };
  const objective = lawByName(model.law).blockObjective(model, plan);
  const count = lengths.length;
  const lrs = new Float64Array(count);
  const gradient = new Float64Array(count);
  let evaluations = 0;
  /** The objective at drops `d`, with ∂/∂d into `g` when given: ∂L/∂d_j = −Σ_{b>j} ∂L/∂η_b. */
  const f = (d: Float64Array, g?: Float64Array): number => {
    evaluations++;
    const value = objective(lrsOf(d, frame.peak, lrs), g ? gradient : undefined);
    if (g) {
      let suffix = 0;
      for (let j = count - 2; j >= 0; j--) {
        suffix += gradient[j + 1];
        g[j] = -suffix;
      }
    }
    return value;
  };
  let best: { value: number; drops: Float64Array } = { value: Infinity, drops: new Float64Array(count - 1) };
  const cooldownFrom = Math.floor(0.8 * count);
  const starts = [(_: number) => 0, (b: number) => (b >= cooldownFrom ? frame.peak / (count - cooldownFrom) : 0)];
  for (const start of starts) {
    const result = acceleratedProjectedGradient(f, Float64Array.from({ length: count - 1 }, (_, j) => start(j + 1)), frame.peak);
    if (result.value < best.value) best = result;
  }
  const found = Float64Array.from(lrsOf(best.drops, frame.peak, lrs), (lr) => (lr < 1e-9 * frame.peak ? 0 : lr)); // rounding residue is 0
  return { plan, lrs: found, objective: objective(found), evaluations };
}

/**
 * FISTA with backtracking and adaptive restart on {d ≥ 0, Σ d ≤ cap}: for a convex law (the
 * momentum law's final loss is convex in the LRs) it converges to the optimum, vertices included
 * (a single sharp drop); for the Multi-Power Law to a local optimum from each start.
 */
function acceleratedProjectedGradient(f: (d: Float64Array, g?: Float64Array) => number, start: Float64Array, cap: number): { value: number; drops: Float64Array } {
  const n = start.length;
  const x = Float64Array.from(start);
  projectDrops(x, cap);
  const y = Float64Array.from(x);
  const previous = new Float64Array(n);
  const next = new Float64Array(n);
  const g = new Float64Array(n);
  let value = f(x);
  let momentum = 1;
  let step = 0;
  for (let it = 0; it < ITERATIONS; it++) {
    const fy = f(y, g);
    let norm = 0;
    for (let j = 0; j < n; j++) norm += g[j] * g[j];
    if (norm === 0) break;
    if (step === 0) step = (0.05 * cap) / Math.sqrt(norm); // first step: move about 5 % of the peak
    let fNext = Infinity;
    for (let tries = 0; tries < 60; tries++) {
      for (let j = 0; j < n; j++) next[j] = y[j] - step * g[j];
      projectDrops(next, cap);
      let linear = 0;
      let square = 0;
      for (let j = 0; j < n; j++) {
        const delta = next[j] - y[j];
        linear += g[j] * delta;
        square += delta * delta;
      }
      fNext = f(next);
      if (fNext <= fy + linear + square / (2 * step) + 1e-15 * Math.abs(fy)) break;
      step *= 0.5;
    }
    previous.set(x);
    x.set(next);
    if (fNext > value) {
      momentum = 1; // adaptive restart: the momentum overshot
      y.set(x);
    } else {
      const m = (1 + Math.sqrt(1 + 4 * momentum * momentum)) / 2;
      for (let j = 0; j < n; j++) y[j] = x[j] + ((momentum - 1) / m) * (x[j] - previous[j]);
      projectDrops(y, cap);
      momentum = m;
    }
    const gain = value - fNext;
    value = Math.min(value, fNext);
    step *= 1.5; // let the step grow back after backtracking
    if (gain >= 0 && gain < 1e-13 * Math.abs(value) && it > 50) break;
  }
  return { value, drops: Float64Array.from(x) };
}

/**
 * The block schedule as a `step` spec (exact: the LR after each change, at the step it starts);
 * blocks at the same LR as the one before are merged.
 */
export function freeFormSpec(result: FreeFormResult, frame: Frame): string {
  const milestones: number[] = [];
  const values: number[] = [];
  let at = frame.warmup;
  let previous = frame.peak;
  result.plan.lengths.forEach((n, b) => {
    const lr = result.lrs[b];
    if (lr !== previous) {
      milestones.push(at);
      values.push(lr);
      previous = lr;
    }
    at += n;
  });
  const base = `peak=${specNumber(frame.peak)},warmup=${frame.warmup},total=${frame.total}`;
  return milestones.length === 0 ? `constant:${base}` : `step:${base},milestones=${milestones.join('/')},values=${values.map(specNumber).join('/')}`;
}
