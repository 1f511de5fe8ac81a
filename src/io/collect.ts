/**
 * Turns rows of raw cells (step, train loss, eval loss, LR) into a Curve: numbers checked,
 * missing values skipped and counted, repeated steps resolved (last wins), rows sorted.
 */
import { dataError } from '../errors.js';
import type { ColumnChoice } from './columns.js';
import type { Curve } from '../core/curve.js';
import { MAX_SERIES_POINTS, SeriesBuilder, SkipCounter } from './builders.js';
import { readNumber } from './numbers.js';

/** Fewest NaN/inf values after the last finite one for a series to count as diverged. */
const DIVERGED_ROWS = 5;

/** The NaN/inf values of a loss series after its last finite one (bounded memory: a count and the first step). */
class TrailingNonFinite {
  private lastFinite = -Infinity;
  private first = Infinity;
  private count = 0;
  finite(step: number): void {
    this.lastFinite = Math.max(this.lastFinite, step);
    if (step > this.first) {
      this.first = Infinity;
      this.count = 0;
    }
  }
  nonFinite(step: number): void {
    if (step <= this.lastFinite) return;
    this.count++;
    this.first = Math.min(this.first, step);
  }
  /** The first step of the stretch, when it is long enough to be a divergence. */
  divergedAt(): number | undefined {
    return this.count >= DIVERGED_ROWS ? this.first : undefined;
  }
}

/** Accumulates the rows of one log into the series of a Curve. */
/**
 * Largest loss read as a loss: a per-token cross-entropy is a few nats (about 11 for a random
 * 100k-token model); 1e6 is a sum, a perplexity overflowing, or a corrupt cell, and past ~1e154
 * the fit's squared errors overflow to Infinity.
 */
export const MAX_LOSS = 1e6;

export class CurveCollector {
  private readonly train = new SeriesBuilder();
  private readonly eval = new SeriesBuilder();
  private readonly lr = new SeriesBuilder();
  readonly skipped: SkipCounter;
  readonly warnings: string[] = [];
  rows = 0;
  /** NaN/inf losses after the last finite one (to tell a diverged run from a few bad rows). */
  private readonly trailing = { train: new TrailingNonFinite(), eval: new TrailingNonFinite() };

  /**
   * @param unit what the row numbers count when they are not lines of the file: "record" for a
   *   JSON document's records, "log_history entry" for a trainer_state.json, …
   */
  constructor(
    readonly file: string,
    readonly columns: ColumnChoice,
    readonly unit?: string,
  ) {
    this.skipped = new SkipCounter(unit);
  }

  private cell(raw: unknown, what: string, line: number): number | null {
    const value = readNumber(raw);
    if (value === undefined) {
      const shown = String(raw).length > 40 ? `${String(raw).slice(0, 40)}…` : String(raw);
      const message = `${what} value ${JSON.stringify(shown)} is not a number; fix or delete the ${this.unit ?? 'line'}`;
      throw this.unit ? dataError(`${this.unit} ${line}: ${message}`, this.file) : dataError(message, this.file, line);
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
    this.addValue(this.train, train, s, line, 'loss', this.columns.train, 'loss', this.trailing.train);
    this.addValue(this.eval, evalLoss, s, line, 'eval loss', this.columns.eval, 'loss', this.trailing.eval);
    this.addValue(this.lr, lr, s, line, 'learning rate', this.columns.lr, 'lr');
  }

  /** Adds one cell: a loss must be above 0 and at most MAX_LOSS, an LR at least 0. */
  private addValue(target: SeriesBuilder, raw: unknown, step: number, line: number, what: string, column: string | undefined, kind: 'loss' | 'lr', trailing?: TrailingNonFinite): void {
    if (column === undefined || raw === undefined) return;
    if (raw === '' || raw === null) return; // a row that fills only other columns (Lightning, W&B)
    const v = this.cell(raw, `${what} (${column})`, line);
    if (v === null) {
      this.skipped.add(`${what} is NaN or infinite`, line);
      trailing?.nonFinite(step);
      return;
    }
    trailing?.finite(step);
    if (v < 0 || (kind === 'loss' && v === 0)) {
      this.skipped.add(`${what} is ${v < 0 ? 'negative' : 'zero'}`, line);
      return;
    }
    if (kind === 'loss' && v > MAX_LOSS) {
      this.skipped.add(`${what} is above ${MAX_LOSS.toLocaleString('en-US')}, which no per-token loss is (a sum, a perplexity, a corrupt value?)`, line);
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
    for (const [name, b] of [['loss', this.train], ['eval loss', this.eval], ['LR', this.lr]] as const) {
      if (b.thinned) this.warnings.push(`${b.total.toLocaleString('en-US')} ${name} points: kept ${MAX_SERIES_POINTS.toLocaleString('en-US')}–${(2 * MAX_SERIES_POINTS).toLocaleString('en-US')} evenly spaced ones to bound memory (fits use at most 20,000 points; metrics are over the kept points)`);
    }
    const columns = { ...this.columns };
    if (train === null) delete columns.train;
    if (evalSeries === null) delete columns.eval;
    if (lr === null) delete columns.lr;
    const diverged = { train: this.trailing.train.divergedAt(), eval: this.trailing.eval.divergedAt() };
    for (const [series, step] of Object.entries(diverged)) {
      if (step !== undefined) this.warnings.push(`the ${series === 'train' ? 'loss' : 'eval loss'} is NaN or infinite from step ${step} on: the run diverged there; only the steps before it can be fitted`);
    }
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
      ...(diverged.train !== undefined || diverged.eval !== undefined ? { diverged: Object.fromEntries(Object.entries(diverged).filter(([, s]) => s !== undefined)) } : {}),
    };
  }
}
