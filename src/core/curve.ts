/**
 * The one shape every log parser produces: a training run's loss (and LR) against step.
 * These types sit below both the readers (io) and the fitters (fit, law).
 */

/** Values of one metric against optimizer step, sorted by step, one value per step. */
export interface Series {
  steps: number[];
  values: number[];
  /** When the log held more points than a series keeps: how many it held (the series is an evenly spaced sample of them). */
  total?: number;
}

/** Why some rows or cells were not used, with how many and the first line (or record) it happened on. */
export interface SkipNote {
  reason: string;
  count: number;
  firstLine?: number;
  /** What firstLine counts: "line" (default), "record", "log_history entry", … */
  unit?: string;
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
  /** Where a loss series turns NaN or infinite for good (the run diverged): the first step of that stretch. */
  diverged?: { train?: number; eval?: number };
}
