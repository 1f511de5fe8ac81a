/**
 * Builders for the series of a Curve: skipped-row counting and (step, value) collection with
 * last-wins repeats.
 */
import type { Series, SkipNote } from '../core/curve.js';

/** Counts skipped items by reason, remembering the first line of each. */
export class SkipCounter {
  private readonly notes = new Map<string, SkipNote>();
  /** Records one skipped item. */
  add(reason: string, line?: number): void {
    const note = this.notes.get(reason);
    if (note) note.count++;
    else this.notes.set(reason, { reason, count: 1, firstLine: line });
  }
  /** The notes, in the order their reasons first appeared. */
  list(): SkipNote[] {
    return [...this.notes.values()];
  }
}

/**
 * Collects (step, value) pairs in any order and returns a sorted series in which a
 * repeated step keeps its last value (a resumed run re-logs steps).
 */
export class SeriesBuilder {
  private steps: number[] = [];
  private values: number[] = [];
  private sorted = true;
  private repeats = 0;
  /** Adds one point. */
  push(step: number, value: number): void {
    const n = this.steps.length;
    if (n > 0) {
      const last = this.steps[n - 1];
      if (step < last) this.sorted = false;
      else if (step === last) {
        this.values[n - 1] = value;
        this.repeats++;
        return;
      }
    }
    this.steps.push(step);
    this.values.push(value);
  }
  /** How many points were replaced by a later point at the same step (complete after build()). */
  get replaced(): number {
    return this.repeats;
  }
  /** The finished series, or null when empty. */
  build(): Series | null {
    if (this.steps.length === 0) return null;
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
}
