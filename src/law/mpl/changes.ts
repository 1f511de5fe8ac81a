/**
 * The LR changes the Multi-Power Law's loss-drop term sums over, walked in one pass over an
 * LR profile and handed to a visitor at each query step:
 *
 *   LD(s) = B · Σ_{k=1}^{s−1} (η_{k−1} − η_k) · G(η_k^(−γ) · (A(s) − A(k))),   A(s) = Σ_{t<s} η_t
 *
 * Only steps where the LR changes contribute (the gap is 0 elsewhere), so a constant stretch
 * costs nothing and a WSD schedule costs its cooldown. Changes long before a query step are
 * merged into blocks: a block holds changes of one sign and replaces their A(k) and log η_k by
 * gap-weighted means, which is exact to first order; it is only formed while the spread of
 * v = log(C·η_k^(−γ)·(A(s) − A(k))) across it stays below `tolerance` (for any γ up to
 * GAMMA_MAX), so the error is second order in the tolerance: ≈ 1e-3·tolerance² nats for
 * typical parameters (measured in the tests against the plain O(T²) sum). Tolerance 0 merges
 * nothing: the sum is exact. Memory is the number of blocks, which grows with the logarithm of
 * the number of changes, not with the number of steps.
 */
import { checkQuerySteps, isConstant, type LrProfile } from '../../core/lr-profile.js';

/** The largest γ the merge rule guards against (the upper bound of the fitter's range). */
export const GAMMA_MAX = 2;
/** LRs are clamped to at least this before their logarithm (η = 0 makes η^(−γ) infinite). */
export const MIN_LR = 1e-10;

/** The blocks of changes seen before a query step (struct of arrays; entries 0 … count − 1, oldest first). */
export interface ChangeBlocks {
  count: number;
  /** Summed LR drop of the block (η_{k−1} − η_k: positive for drops, negative for rises). */
  gap: Float64Array;
  /** Σ gap·A(k): divided by gap, the mean area before the block's changes. */
  gapArea: Float64Array;
  /** Σ gap·log η_k: divided by gap, the mean log LR after the block's changes. */
  gapLogLr: Float64Array;
  areaLo: Float64Array;
  areaHi: Float64Array;
  logLrLo: Float64Array;
  logLrHi: Float64Array;
}

/** How changes are gathered. */
export interface WalkOptions {
  /** Largest spread of log(η^(−γ)·span) inside a block; 0 = exact. */
  tolerance: number;
  /** Changes at steps k < skipBefore are left out (the paper's warmup convention). */
  skipBefore?: number;
}

function grow(a: Float64Array, size: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(size);
  out.set(a);
  return out;
}

/** A growable list of change blocks with in-place merging. */
class BlockList implements ChangeBlocks {
  count = 0;
  gap = new Float64Array(64);
  gapArea = new Float64Array(64);
  gapLogLr = new Float64Array(64);
  areaLo = new Float64Array(64);
  areaHi = new Float64Array(64);
  logLrLo = new Float64Array(64);
  logLrHi = new Float64Array(64);
  /** Count after the last merge pass (the next pass runs when the list has grown enough). */
  private afterMerge = 0;

  constructor(private readonly tolerance: number) {}

  add(gap: number, area: number, lr: number): void {
    if (this.count === this.gap.length) {
      const size = this.gap.length * 2;
      this.gap = grow(this.gap, size);
      this.gapArea = grow(this.gapArea, size);
      this.gapLogLr = grow(this.gapLogLr, size);
      this.areaLo = grow(this.areaLo, size);
      this.areaHi = grow(this.areaHi, size);
      this.logLrLo = grow(this.logLrLo, size);
      this.logLrHi = grow(this.logLrHi, size);
    }
    const i = this.count++;
    const logLr = Math.log(Math.max(lr, MIN_LR));
    this.gap[i] = gap;
    this.gapArea[i] = gap * area;
    this.gapLogLr[i] = gap * logLr;
    this.areaLo[i] = area;
    this.areaHi[i] = area;
    this.logLrLo[i] = logLr;
    this.logLrHi[i] = logLr;
  }

  /** Merges while it is cheap to: when the list has doubled since the last pass. */
  maybeMerge(areaNow: number): void {
    if (this.tolerance > 0 && this.count > 2 * this.afterMerge + 256) this.merge(areaNow);
  }

  /**
   * Merges neighbouring blocks whose union stays within the tolerance as seen from area
   * `areaNow` (valid for every later query too: spans only grow).
   */
  merge(areaNow: number): void {
    if (this.tolerance <= 0 || this.count < 2) {
      this.afterMerge = this.count;
      return;
    }
    const tol = this.tolerance;
    let top = 0; // output stack: blocks 0 … top
    for (let i = 1; i < this.count; i++) {
      top++;
      this.copy(i, top);
      while (top > 0 && this.canMerge(top - 1, top, areaNow, tol)) {
        this.absorb(top - 1, top);
        top--;
      }
    }
    this.count = top + 1;
    this.afterMerge = this.count;
  }

  private canMerge(a: number, b: number, areaNow: number, tol: number): boolean {
    if (this.gap[a] > 0 !== this.gap[b] > 0) return false;
    const lo = Math.min(this.areaLo[a], this.areaLo[b]);
    const hi = Math.max(this.areaHi[a], this.areaHi[b]);
    const near = areaNow - hi;
    if (!(near > 0)) return false;
    const spanSpread = Math.log1p((hi - lo) / near);
    const lrSpread = Math.max(this.logLrHi[a], this.logLrHi[b]) - Math.min(this.logLrLo[a], this.logLrLo[b]);
    return spanSpread + GAMMA_MAX * lrSpread <= tol;
  }

  private copy(from: number, to: number): void {
    if (from === to) return;
    this.gap[to] = this.gap[from];
    this.gapArea[to] = this.gapArea[from];
    this.gapLogLr[to] = this.gapLogLr[from];
    this.areaLo[to] = this.areaLo[from];
    this.areaHi[to] = this.areaHi[from];
    this.logLrLo[to] = this.logLrLo[from];
    this.logLrHi[to] = this.logLrHi[from];
  }

  /** Block `b` merged into block `a`. */
  private absorb(a: number, b: number): void {
    this.gap[a] += this.gap[b];
    this.gapArea[a] += this.gapArea[b];
    this.gapLogLr[a] += this.gapLogLr[b];
    this.areaLo[a] = Math.min(this.areaLo[a], this.areaLo[b]);
    this.areaHi[a] = Math.max(this.areaHi[a], this.areaHi[b]);
    this.logLrLo[a] = Math.min(this.logLrLo[a], this.logLrLo[b]);
    this.logLrHi[a] = Math.max(this.logLrHi[a], this.logLrHi[b]);
  }
}

/**
 * Walks the profile up to the last of the sorted `steps` and calls `visit(i, area, blocks)` at
 * each query step s_i, with area = A(s_i) and the (merged) blocks of every change k < s_i.
 * The blocks are only valid during the call.
 */
export function walkChanges(profile: LrProfile, steps: ArrayLike<number>, options: WalkOptions, visit: (index: number, area: number, blocks: ChangeBlocks) => void): void {
  checkQuerySteps(steps, profile.length, 'walkChanges');
  const blocks = new BlockList(options.tolerance);
  const skipBefore = options.skipBefore ?? 0;
  const n = steps.length;
  let area = 0;
  let previous = 0;
  let q = 0;
  const record = (at: number) => {
    if (q >= n || steps[q] !== at) return;
    blocks.merge(area);
    for (; q < n && steps[q] === at; q++) visit(q, area, blocks);
  };
  record(0);
  for (const segment of profile.segments) {
    if (q >= n) break;
    if (isConstant(segment)) {
      const lr = segment.lr;
      if (segment.from > 0 && lr !== previous && segment.from >= skipBefore) blocks.add(previous - lr, area, lr);
      previous = lr;
      // no change inside the stretch: the area grows linearly up to each query step in it
      const start = area;
      for (; q < n && steps[q] <= segment.to; ) {
        area = start + (steps[q] - segment.from) * lr;
        record(steps[q]);
      }
      area = start + (segment.to - segment.from) * lr;
      continue;
    }
    const lrAt = segment.lrAt;
    for (let u = segment.from; u < segment.to && q < n; u++) {
      const lr = lrAt(u);
      if (u > 0 && lr !== previous && u >= skipBefore) blocks.add(previous - lr, area, lr);
      area += lr;
      previous = lr;
      if ((u & 1023) === 0) blocks.maybeMerge(area);
      if (steps[q] === u + 1) record(u + 1);
    }
  }
}

/** Changes compiled for many evaluations at fixed query steps (a fit): one term per block per point. */
export interface CompiledChanges {
  /** Forward area A(s) at each query point. */
  area: Float64Array;
  /** Terms of point i: offsets[i] … offsets[i + 1] − 1. */
  offsets: Int32Array;
  /** Per term: the block's summed LR drop. */
  gap: Float64Array;
  /** Per term: the block's gap-weighted mean log η_k. */
  logLr: Float64Array;
  /** Per term: the LR area from the block's changes to the point, A(s) − mean A(k) (> 0). */
  span: Float64Array;
}

/** Compiles the changes of `profile` for the sorted query `steps`. */
export function compileChanges(profile: LrProfile, steps: ArrayLike<number>, options: WalkOptions): CompiledChanges {
  const offsets = new Int32Array(steps.length + 1);
  const area = new Float64Array(steps.length);
  let gap = new Float64Array(1024);
  let logLr = new Float64Array(1024);
  let span = new Float64Array(1024);
  let n = 0;
  walkChanges(profile, steps, options, (i, a, b) => {
    area[i] = a;
    offsets[i] = n;
    if (n + b.count > gap.length) {
      const size = Math.max(2 * gap.length, n + b.count);
      gap = grow(gap, size);
      logLr = grow(logLr, size);
      span = grow(span, size);
    }
    for (let j = 0; j < b.count; j++) {
      const g = b.gap[j];
      gap[n] = g;
      logLr[n] = b.gapLogLr[j] / g;
      span[n] = Math.max(0, a - b.gapArea[j] / g); // never below 0 through rounding
      n++;
    }
    offsets[i + 1] = n;
  });
  return { area, offsets, gap: gap.subarray(0, n), logLr: logLr.subarray(0, n), span: span.subarray(0, n) };
}
