/**
 * Turns rows of raw cells (step, train loss, eval loss, LR) into a Curve: numbers checked,
 * missing values skipped and counted, repeated steps resolved (last wins), rows sorted.
 */
import { dataError } from '../errors.js';
import type { ColumnChoice } from './columns.js';
import type { Curve } from '../core/curve.js';
import { SeriesBuilder, SkipCounter } from './builders.js';
import { readNumber } from './numbers.js';

/** Accumulates the rows of one log into the series of a Curve. */
export class CurveCollector {
  private readonly train = new SeriesBuilder();
  private readonly eval = new SeriesBuilder();
  private readonly lr = new SeriesBuilder();
  readonly skipped = new SkipCounter();
  readonly warnings: string[] = [];
  rows = 0;

  /**
   * @param byRecord rows are numbered records of a JSON document, not lines of the file
   */
  constructor(
    readonly file: string,
    readonly columns: ColumnChoice,
    readonly byRecord = false,
  ) {}

  private cell(raw: unknown, what: string, line: number): number | null {
    const value = readNumber(raw);
    if (value === undefined) {
      const shown = String(raw).length > 40 ? `${String(raw).slice(0, 40)}…` : String(raw);
      const message = `${what} value ${JSON.stringify(shown)} is not a number; fix or delete the ${this.byRecord ? 'record' : 'line'}`;
      throw this.byRecord ? dataError(`record ${line}: ${message}`, this.file) : dataError(message, this.file, line);
    }
    return value;
  }

  /** Adds one row; `undefined` cells mean "column absent in this row". */
  row(line: number, step: unknown, train: unknown, evalLoss: unknown, lr: unknown): void {
    this.rows++;
    const s = this.cell(step, `step (${this.columns.step})`, line);
    if (s === null) {
      this.skipped.add('no step value', line);
      return;
    }
    if (s < 0 || !Number.isInteger(s)) {
      this.skipped.add('step is negative or not a whole number', line);
      return;
    }
    this.addValue(this.train, train, s, line, 'loss', this.columns.train);
    this.addValue(this.eval, evalLoss, s, line, 'eval loss', this.columns.eval);
    this.addValue(this.lr, lr, s, line, 'learning rate', this.columns.lr, true);
  }

  private addValue(target: SeriesBuilder, raw: unknown, step: number, line: number, what: string, column: string | undefined, allowZero = false): void {
    if (column === undefined || raw === undefined) return;
    if (raw === '' || raw === null) return; // a row that fills only other columns (Lightning, W&B)
    const v = this.cell(raw, `${what} (${column})`, line);
    if (v === null) {
      this.skipped.add(`${what} is NaN or infinite`, line);
      return;
    }
    if (v < 0 || (!allowZero && v === 0)) {
      this.skipped.add(`${what} is ${v < 0 ? 'negative' : 'zero'}`, line);
      return;
    }
    target.push(step, v);
  }

  /** The finished Curve; `extra` adds metadata (total steps, runs) and warnings. */
  finish(format: string, extra: Partial<Curve> = {}): Curve {
    const train = this.train.build();
    const evalSeries = this.eval.build();
    const lr = this.lr.build();
    const replaced = Math.max(this.train.replaced, this.eval.replaced);
    if (replaced > 0) this.warnings.push(`${replaced} repeated step(s) (a resumed run?): kept the last value of each`);
    const columns = { ...this.columns };
    if (train === null) delete columns.train;
    if (evalSeries === null) delete columns.eval;
    if (lr === null) delete columns.lr;
    return {
      ...extra,
      source: this.file,
      format,
      train,
      eval: evalSeries,
      lr,
      columns,
      skipped: this.skipped.list(),
      warnings: [...this.warnings, ...(extra.warnings ?? [])],
    };
  }
}
