/**
 * The one shape every log parser produces: a training run's loss (and LR) against step.
 */

/** Values of one metric against optimizer step, sorted by step, one value per step. */
export interface Series {
  steps: number[];
  values: number[];
}

/** Why some rows or cells were not used, with how many and the first line it happened on. */
export interface SkipNote {
  reason: string;
  count: number;
  firstLine?: number;
}

/** A training log, read and cleaned: what later stages (fit, evaluate, check) consume. */
export interface Curve {
  /** Path of the file it came from (or "-" for stdin). */
  source: string;
  /** Detected or forced format name, e.g. "csv", "jsonl", "hf-trainer-state". */
  format: string;
  /** Training loss, if the log has it. */
  train: Series | null;
  /** Evaluation / validation loss, if the log has it. */
  eval: Series | null;
  /** Learning rate as logged, if the log has it. */
  lr: Series | null;
  /** Names of the columns or keys the series were taken from. */
  columns: { step?: string; train?: string; eval?: string; lr?: string };
  /** Total planned steps when the log states it (e.g. Megatron "iteration 10/ 1000"). */
  totalSteps?: number;
  /** For files holding several runs (W&B chart export): the runs, and which one was read. */
  runs?: string[];
  run?: string;
  /** Rows or cells that were skipped, and why. */
  skipped: SkipNote[];
  /** Things the user should know about how the log was read. */
  warnings: string[];
}

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
