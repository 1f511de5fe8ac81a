/**
 * Builders for the series of a Curve: skipped-row counting and (step, value) collection with
 * last-wins repeats.
 */
import type { Series, SkipNote } from '../core/curve.js';

/** Counts skipped items by reason, remembering the first line of each. */
export class SkipCounter {
  private readonly notes = new Map<string, SkipNote>();
  /** @param unit what the numbers given to add() count, when not lines of the file */
  constructor(private readonly unit?: string) {}
  /** Records one skipped item. */
  add(reason: string, line?: number): void {
    const note = this.notes.get(reason);
    if (note) note.count++;
    else this.notes.set(reason, { reason, count: 1, firstLine: line, ...(this.unit && line !== undefined ? { unit: this.unit } : {}) });
  }
  /** The notes, in the order their reasons first appeared. */
  list(): SkipNote[] {
    return [...this.notes.values()];
  }
}

/**
 * Most points a series keeps. Beyond it the series is thinned to evenly spaced points (every
 * 2nd, 4th, … as the log grows), so reading a log of any length — from a file or a pipe — takes
 * bounded memory; the fit uses at most 20,000 points anyway. The last point is always kept.
 */
export const MAX_SERIES_POINTS = 1 << 18;

/**
 * Collects (step, value) pairs in any order and returns a sorted series in which a repeated
 * step keeps its last value (a resumed run re-logs steps), thinned to at most `cap` points.
 */
export class SeriesBuilder {
  private steps: number[] = [];
  private values: number[] = [];
  private sorted = true;
  private repeats = 0;
  /** Points pushed (a step repeated at once counts once). */
  private arrivals = 0;
  /** Keep one arrival in `stride` (1 until the series is thinned). */
  private stride = 1;
  /** The latest arrival when it was not kept (NaN: none), so the series still ends where the log ends. */
  private pendingStep = Number.NaN;
  private pendingValue = Number.NaN;

  constructor(private readonly cap = MAX_SERIES_POINTS) {}

  /** Adds one point. */
  push(step: number, value: number): void {
    const n = this.steps.length;
    const pending = !Number.isNaN(this.pendingStep);
    if (n > 0 && !pending) {
      const last = this.steps[n - 1];
      if (step === last) {
        this.values[n - 1] = value;
        this.repeats++;
        return;
      }
    }
    if (pending && this.pendingStep === step) {
      this.pendingValue = value;
      this.repeats++;
      return;
    }
    this.arrivals++;
    if (this.stride > 1 && this.arrivals % this.stride !== 0) {
      this.pendingStep = step;
      this.pendingValue = value;
      return;
    }
    this.pendingStep = Number.NaN;
    if (n > 0 && step < this.steps[n - 1]) this.sorted = false;
    this.steps.push(step);
    this.values.push(value);
    if (this.steps.length >= 2 * this.cap) this.thin();
  }

  /** Halves the kept points (every other one, after resolving order and repeats). */
  private thin(): void {
    const { steps, values } = this.resolved();
    const kept = Math.ceil(steps.length / 2);
    for (let i = 0; i < kept; i++) {
      steps[i] = steps[2 * i];
      values[i] = values[2 * i];
    }
    steps.length = kept;
    values.length = kept;
    this.steps = steps;
    this.values = values;
    this.sorted = true;
    this.stride *= 2;
  }

  /** How many points were replaced by a later point at the same step (complete after build()). */
  get replaced(): number {
    return this.repeats;
  }

  /** Points the log holds for this series (more than the series keeps when it was thinned). */
  get total(): number {
    return this.arrivals;
  }

  /** Whether the series was thinned to evenly spaced points. */
  get thinned(): boolean {
    return this.stride > 1;
  }

  /** The kept points, sorted by step, a repeated step keeping its last value. */
  private resolved(): Series {
    if (this.sorted) return { steps: this.steps, values: this.values };
    const order = this.steps.map((_, i) => i);
    // stable sort keeps insertion order among equal steps, so the last pushed wins below
    order.sort((a, b) => this.steps[a] - this.steps[b]);
    const steps: number[] = [];
    const values: number[] = [];
    for (const i of order) {
      const s = this.steps[i];
      if (steps.length > 0 && steps[steps.length - 1] === s) {
        values[values.length - 1] = this.values[i];
        this.repeats++;
      } else {
        steps.push(s);
        values.push(this.values[i]);
      }
    }
    return { steps, values };
  }

  /** The finished series, or null when empty. */
  build(): Series | null {
    if (!Number.isNaN(this.pendingStep)) {
      if (this.steps.length > 0 && this.pendingStep < this.steps[this.steps.length - 1]) this.sorted = false;
      this.steps.push(this.pendingStep);
      this.values.push(this.pendingValue);
      this.pendingStep = Number.NaN;
    }
    if (this.steps.length === 0) return null;
    const series = this.resolved();
    return this.thinned ? { ...series, total: this.arrivals } : series;
  }
}
