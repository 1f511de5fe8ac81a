/**
 * The shared reader behind console-log formats (Megatron, llm.c, nanoGPT, OLMo, …): each
 * format supplies a function that looks at one line and reports the values it holds.
 */
import { dataError } from '../errors.js';
import type { ColumnChoice } from './columns.js';
import { CurveCollector } from './collect.js';
import type { Curve } from '../core/curve.js';
import { forEachLine } from './lines.js';
import type { LogSource } from './source.js';

/** Where a line parser puts what it found. Values may be raw text; `undefined` = not on this line. */
export interface LineSink {
  /** One data point: step plus any of train loss, eval loss and LR. */
  row(step: number | string, train?: unknown, evalLoss?: unknown, lr?: unknown): void;
  /** The planned total number of steps, when the log states it. */
  total(steps: number): void;
  /** Counts a line that looked like data but was not used. */
  skip(reason: string): void;
  /** The current line number (for the parser's own errors and notes). */
  readonly line: number;
}

/** A console-log parser: a line visitor, optionally flushed at the end of the file. */
export interface LineParser {
  /** Looks at one line (ANSI codes already removed). */
  visit(text: string, sink: LineSink): void;
  /** Called once after the last line (multi-line blocks flush here). */
  end?(sink: LineSink): void;
  /** Warnings about the whole log, computed once it has been read. */
  warnings?(curve: Curve): string[];
}

/** Reads a console log with `parser`; `columns` names the fields for reports. */
export async function readLineLog(source: LogSource, format: string, columns: ColumnChoice, parser: LineParser): Promise<Curve> {
  const collector = new CurveCollector(source.path, columns);
  let totalSteps: number | undefined;
  let current = 0;
  const sink: LineSink = {
    row: (step, train, evalLoss, lr) => collector.row(current, step, train, evalLoss, lr),
    total: (steps) => {
      if (Number.isInteger(steps) && steps > 0) totalSteps = steps;
    },
    skip: (reason) => collector.skipped.add(reason, current),
    get line() {
      return current;
    },
  };
  await forEachLine(source, (text, line) => {
    current = line;
    parser.visit(text, sink);
  });
  parser.end?.(sink);
  if (collector.rows === 0) {
    throw dataError(`has no ${format} data lines; if it is another format, force one with --format (see losscast inspect)`, source.path);
  }
  const curve = collector.finish(format, totalSteps !== undefined ? { totalSteps } : {});
  const extra = parser.warnings?.(curve) ?? [];
  return extra.length > 0 ? { ...curve, warnings: [...curve.warnings, ...extra] } : curve;
}

/** Regex source for a number as trainers print it, including nan/inf. */
export const NUM = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|inf(?:inity)?)`;
