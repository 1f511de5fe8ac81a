/**
 * The learning rate of every optimizer step of a run, held as segments rather than one number
 * per step: a stretch where the LR is constant costs O(1) memory and O(1) time whatever its
 * length, so a schedule of 10⁹ steps, or a log whose last step is a huge number, never
 * allocates per step. Stretches where the LR changes are walked step by step (linear time,
 * constant memory).
 *
 * Index convention (the whole project): η(t) is the LR used at optimizer step t, t = 0 being
 * the first update; the loss logged at step s is the loss after s updates, so it has seen
 * η(0) … η(s − 1).
 */

/** Steps [from, to) at one LR. */
export interface ConstantSegment {
  readonly from: number;
  readonly to: number;
  readonly lr: number;
}

/** Steps [from, to) whose LR is given step by step. */
export interface VaryingSegment {
  readonly from: number;
  readonly to: number;
  /** η(t) for from ≤ t < to. */
  readonly lrAt: (t: number) => number;
}

/** One stretch of a profile. */
export type LrSegment = ConstantSegment | VaryingSegment;

/** The per-step LR of a run or schedule: contiguous segments covering steps 0 … length − 1. */
export interface LrProfile {
  /** Number of steps: η is defined for t = 0 … length − 1. */
  readonly length: number;
  readonly segments: readonly LrSegment[];
  /** First step of the run at its peak LR: the steps before it are warmup (0 for none). */
  readonly warmupEnd: number;
  /** The largest LR. */
  readonly peak: number;
}

/** True for a segment of constant LR. */
export function isConstant(segment: LrSegment): segment is ConstantSegment {
  return (segment as ConstantSegment).lr !== undefined;
}

/** Equal consecutive values at least this long become a constant segment of profileFromValues. */
const MIN_CONSTANT_RUN = 32;

/** Largest LR of the segments (varying segments are scanned: use for bounded-size profiles). */
function scanPeak(segments: readonly LrSegment[]): number {
  let peak = 0;
  for (const s of segments) {
    if (isConstant(s)) peak = Math.max(peak, s.lr);
    else for (let t = s.from; t < s.to; t++) peak = Math.max(peak, s.lrAt(t));
  }
  return peak;
}

/** First step whose LR reaches the peak (within 0.1 %), scanning segments in order. */
function scanWarmupEnd(segments: readonly LrSegment[], peak: number): number {
  for (const s of segments) {
    if (isConstant(s)) {
      if (s.lr >= peak * 0.999) return s.from;
    } else {
      for (let t = s.from; t < s.to; t++) if (s.lrAt(t) >= peak * 0.999) return t;
    }
  }
  return 0;
}

/**
 * A profile from segments. `peak` and `warmupEnd` are computed by scanning when not given (do
 * give them for profiles whose varying stretches may be long, e.g. from a schedule spec).
 */
export function makeProfile(segments: readonly LrSegment[], known: { peak?: number; warmupEnd?: number } = {}): LrProfile {
  const kept = segments.filter((s) => s.to > s.from);
  for (let i = 1; i < kept.length; i++) {
    if (kept[i].from !== kept[i - 1].to) throw new Error(`LR profile segments must be contiguous (${kept[i - 1].to} then ${kept[i].from})`);
  }
  if (kept.length > 0 && kept[0].from !== 0) throw new Error('an LR profile starts at step 0');
  const length = kept.length > 0 ? kept[kept.length - 1].to : 0;
  const peak = known.peak ?? scanPeak(kept);
  const warmupEnd = known.warmupEnd ?? scanWarmupEnd(kept, peak);
  return { length, segments: kept, peak, warmupEnd: Math.min(warmupEnd, Math.max(0, length - 1)) };
}

/** A profile from one LR per step (runs of equal values become constant segments); peak and warmup end are scanned unless `known`. */
export function profileFromValues(values: ArrayLike<number>, known: { peak?: number; warmupEnd?: number } = {}): LrProfile {
  const segments: LrSegment[] = [];
  const n = values.length;
  let varyingFrom = 0;
  const at = (t: number) => values[t];
  let t = 0;
  while (t < n) {
    let end = t + 1;
    while (end < n && values[end] === values[t]) end++;
    if (end - t >= MIN_CONSTANT_RUN) {
      if (varyingFrom < t) segments.push({ from: varyingFrom, to: t, lrAt: at });
      segments.push({ from: t, to: end, lr: values[t] });
      varyingFrom = end;
    }
    t = end;
  }
  if (varyingFrom < n) segments.push({ from: varyingFrom, to: n, lrAt: at });
  return makeProfile(segments, known);
}

/** Index of the segment holding step t (t within 0 … length − 1). */
function segmentIndex(profile: LrProfile, t: number): number {
  const segs = profile.segments;
  let lo = 0;
  let hi = segs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segs[mid].from <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** η(t); steps past the end hold the last LR, steps before 0 the first. */
export function lrAt(profile: LrProfile, t: number): number {
  if (profile.segments.length === 0) return 0;
  const step = Math.min(Math.max(0, Math.floor(t)), profile.length - 1);
  const s = profile.segments[segmentIndex(profile, step)];
  return isConstant(s) ? s.lr : s.lrAt(step);
}

/** The LR at each of `steps` (any order). */
export function lrsAt(profile: LrProfile, steps: readonly number[]): number[] {
  return steps.map((t) => lrAt(profile, t));
}

/** The same profile cut to its first `length` steps (or the whole profile when shorter). */
export function truncateProfile(profile: LrProfile, length: number): LrProfile {
  if (length >= profile.length) return profile;
  const segments = profile.segments.filter((s) => s.from < length).map((s) => (s.to <= length ? s : { ...s, to: length }));
  return makeProfile(segments, length > profile.warmupEnd ? { peak: profile.peak, warmupEnd: profile.warmupEnd } : {});
}

/**
 * The authors' warmup variant of the momentum law: warmup steps count at the peak LR (the LR
 * of the first post-warmup step), so they add to S1 as if at peak and nothing to S2.
 */
export function warmupAtPeak(profile: LrProfile): LrProfile {
  const end = profile.warmupEnd;
  if (end <= 0) return profile;
  const level = lrAt(profile, end);
  const rest = profile.segments.filter((s) => s.to > end).map((s) => (s.from >= end ? s : { ...s, from: end }));
  return makeProfile([{ from: 0, to: end, lr: level }, ...rest], { peak: profile.peak, warmupEnd: end });
}

/**
 * Calls `visit(from, to, segment)` for the parts of the profile's segments within [start, end),
 * in order: the stretches a streaming computation walks.
 */
export function forEachStretch(profile: LrProfile, start: number, end: number, visit: (from: number, to: number, segment: LrSegment) => void): void {
  if (profile.segments.length === 0 || start >= end) return;
  for (let i = segmentIndex(profile, Math.max(0, start)); i < profile.segments.length; i++) {
    const s = profile.segments[i];
    if (s.from >= end) break;
    visit(Math.max(s.from, start), Math.min(s.to, end), s);
  }
}

/** Throws unless `steps` is sorted ascending within 0 … length (the query steps of a streaming pass). */
export function checkQuerySteps(steps: ArrayLike<number>, length: number, what: string): void {
  for (let i = 0; i < steps.length; i++) {
    if (!(steps[i] >= 0 && steps[i] <= length) || (i > 0 && steps[i] < steps[i - 1])) throw new Error(`${what}: steps must be sorted and within 0 … ${length} (got ${steps[i]})`);
  }
}

/**
 * Forward area S1 at each of the sorted `steps`: Σ_{t<s} η(t). One pass, O(1) memory; a step
 * past the end of the profile counts the steps it lacks at the last LR.
 */
export function forwardAreaAt(profile: LrProfile, steps: ArrayLike<number>): Float64Array {
  const n = steps.length;
  const out = new Float64Array(n);
  for (let i = 1; i < n; i++) if (!(steps[i] >= steps[i - 1])) throw new Error('forwardAreaAt: steps must be sorted');
  let area = 0;
  let q = 0;
  for (; q < n && steps[q] <= 0; q++) out[q] = 0;
  for (const s of profile.segments) {
    if (q >= n) break;
    if (isConstant(s)) {
      for (; q < n && steps[q] <= s.to; q++) out[q] = area + (steps[q] - s.from) * s.lr;
      area += (s.to - s.from) * s.lr;
      continue;
    }
    for (let u = s.from; u < s.to && q < n; u++) {
      area += s.lrAt(u);
      for (; q < n && steps[q] === u + 1; q++) out[q] = area;
    }
  }
  // steps past the end count the steps they lack at the last LR
  const last = profile.length > 0 ? lrAt(profile, profile.length - 1) : 0;
  for (; q < n; q++) out[q] = area + (steps[q] - profile.length) * last;
  return out;
}

/**
 * Whether the LR falls below 0.99 of its running maximum somewhere before `upTo` (so the
 * annealing part of a law can be learnt from this run). Varying stretches longer than 4096
 * steps are checked at 4096 evenly spaced steps and their ends.
 */
export function profileAnneals(profile: LrProfile, upTo = profile.length): boolean {
  let max = 0;
  let found = false;
  const see = (lr: number) => {
    if (lr > max) max = lr;
    else if (lr < 0.99 * max) found = true;
  };
  forEachStretch(profile, 0, upTo, (from, to, s) => {
    if (found) return;
    if (isConstant(s)) return see(s.lr);
    const stride = Math.max(1, Math.floor((to - from) / 4096));
    for (let t = from; t < to && !found; t += stride) see(s.lrAt(t));
    see(s.lrAt(to - 1));
  });
  return found;
}

/** How the LR before the first logged point is filled in. */
export type LrBefore = 'ramp' | 'extrapolate' | 'hold';

/**
 * A profile from logged (step, lr) points, linear between them and held after the last. Before
 * the first point: 'ramp' = a linear warmup from 0 at step 0, 'extrapolate' = the line through
 * the first two points continued back to step 0, 'hold' = the first value. Stretches between
 * equal logged values are constant segments; memory grows with the points, not the steps.
 */
export function profileFromPoints(steps: readonly number[], values: readonly number[], length: number, before: LrBefore = 'ramp'): LrProfile {
  const n = steps.length;
  if (n === 0 || length <= 0) return makeProfile([]);
  const segments: LrSegment[] = [];
  const push = (segment: LrSegment) => {
    if (segment.to <= segment.from) return;
    const last = segments[segments.length - 1];
    if (last && isConstant(last) && isConstant(segment) && last.lr === segment.lr) segments[segments.length - 1] = { from: last.from, to: segment.to, lr: last.lr };
    else segments.push(segment);
  };
  const s0 = steps[0];
  const v0 = values[0];
  const head = Math.min(s0, length);
  if (before === 'hold' || s0 <= 1) push({ from: 0, to: head, lr: v0 });
  else if (before === 'extrapolate' && n >= 2) {
    const slope = (values[1] - v0) / (steps[1] - s0);
    push({ from: 0, to: head, lrAt: (t) => Math.max(0, v0 + slope * (t - s0)) });
  } else push({ from: 0, to: head, lrAt: (t) => (v0 * t) / s0 });
  // interpolation between points, with a cursor for the (usual) in-order access
  let cursor = 0;
  const interpolate = (t: number) => {
    if (!(steps[cursor] <= t && t < steps[cursor + 1])) {
      let lo = 0;
      let hi = n - 2;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (steps[mid] <= t) lo = mid;
        else hi = mid - 1;
      }
      cursor = lo;
    }
    const a = steps[cursor];
    const b = steps[cursor + 1];
    return values[cursor] + ((values[cursor + 1] - values[cursor]) * (t - a)) / (b - a);
  };
  let varyingFrom = -1;
  let reached = head;
  for (let k = 0; k + 1 < n && steps[k] < length; k++) {
    const from = steps[k];
    const to = Math.min(steps[k + 1], length);
    if (values[k] === values[k + 1]) {
      if (varyingFrom >= 0) push({ from: varyingFrom, to: from, lrAt: interpolate });
      varyingFrom = -1;
      push({ from, to, lr: values[k] });
    } else if (varyingFrom < 0) varyingFrom = from;
    reached = to;
  }
  if (varyingFrom >= 0) push({ from: varyingFrom, to: reached, lrAt: interpolate });
  if (reached < length) push({ from: reached, to: length, lr: values[n - 1] });
  return makeProfile(segments);
}
