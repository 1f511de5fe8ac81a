/**
 * Numbers rounded to what their intervals support: an interval 0.04 wide makes the fourth decimal
 * of a loss noise, so it is shown with three; a tight one keeps four. Text and tables use it; JSON
 * keeps full precision and CSV seven significant digits.
 */

/** Decimals that show an interval of this width with two significant digits (2 to 5). */
export function decimalsFor(width: number): number {
  if (!(width > 0) || !Number.isFinite(width)) return 4;
  return Math.max(2, Math.min(5, Math.ceil(-Math.log10(width)) + 1));
}

/** The decimals a set of intervals supports: the narrowest one decides (so every row reads alike). */
export function decimalsForIntervals(intervals: readonly ({ lo: number; hi: number } | undefined | null)[], fallback = 4): number {
  const widths = intervals.filter((i): i is { lo: number; hi: number } => Boolean(i) && Number.isFinite(i!.lo) && Number.isFinite(i!.hi) && i!.hi > i!.lo).map((i) => i.hi - i.lo);
  return widths.length === 0 ? fallback : decimalsFor(Math.min(...widths));
}

/** A number with 7 significant digits, as short as it reads back (CSV). */
export function significant(x: number): string {
  return String(Number(x.toPrecision(7)));
}

/** Text for people (a schedule spec, a warning): numbers with more than `digits` significant digits shortened (an optimiser's 0.18734592…, a bound's 0.00020495483366502005). */
export function readableNumbers(spec: string, digits = 4): string {
  return spec.replace(/(?<![\w.])-?\d+\.\d+(?:e[+-]?\d+)?|(?<![\w.])-?\d+e[+-]?\d+/gi, (m) => {
    const x = Number(m);
    if (!Number.isFinite(x)) return m;
    const short = Number(x.toPrecision(digits));
    return short === x ? m : String(short);
  });
}
