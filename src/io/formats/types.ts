/** The interface every log-format module implements. */
import type { ColumnChoice } from '../columns.js';
import type { Curve } from '../../core/curve.js';
import type { LogSource } from '../source.js';

/** Options every reader accepts. */
export interface ReadOptions {
  /** Column / key names chosen by the user (--step-col, --loss-col, --eval-col, --lr-col). */
  columns?: ColumnChoice;
  /** For files holding several runs (W&B chart export): which run to read. */
  run?: string;
}

/** A log format: how to recognise it from the start of the text, and how to read it. */
export interface LogFormat {
  /** Name used by --format and shown by inspect. */
  name: string;
  /** One line describing the format. */
  description: string;
  /** A binary format (recognised from its bytes, read with openBytes). */
  binary?: boolean;
  /** 0 = not this format; higher = more certain. `head` is the first 1 MiB as text (ANSI codes removed), `bytes` raw. */
  detect(head: string, path: string, bytes?: Uint8Array): number;
  /** For formats holding several runs per file: their names (choose one with ReadOptions.run). */
  listRuns?(source: LogSource): Promise<string[]>;
  /** Reads the whole log into a Curve. */
  read(source: LogSource, options: ReadOptions): Promise<Curve>;
}
