/** Shares as whole percentages for people. */

/**
 * Shares that sum to 1 (P(best) of every candidate) as whole percentages that sum to exactly 100:
 * largest-remainder rounding (each share floored, the points left over go to the largest
 * remainders; ties to the earlier share). Shares that do not sum to about 1 are rounded one by one.
 */
export function roundedPercents(shares: readonly number[]): number[] {
  const total = shares.reduce((a, b) => a + b, 0);
  if (shares.length === 0 || Math.abs(total - 1) > 1e-6) return shares.map((s) => Math.round(100 * s));
  const exact = shares.map((s) => 100 * s);
  const out = exact.map(Math.floor);
  let left = 100 - out.reduce((a, b) => a + b, 0);
  const order = exact.map((v, i) => ({ i, rest: v - Math.floor(v) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    out[i]++;
    left--;
  }
  return out;
}

/**
 * P(best) of ranked candidates as text ("34 %"), summing to 100 % over the candidates that have
 * one; "—" where there is none. A share that rounds to 100 % without being certain reads ">99 %",
 * one that rounds to 0 % without being impossible "<1 %" (the data never make a pick certain
 * when another candidate wins some draws).
 */
export function pBestTexts(pBest: readonly (number | undefined)[]): string[] {
  const known = pBest.map((p, i) => ({ p, i })).filter((x): x is { p: number; i: number } => x.p !== undefined);
  const rounded = roundedPercents(known.map((x) => x.p));
  const out = pBest.map(() => '—');
  known.forEach((x, k) => (out[x.i] = rounded[k] === 100 && x.p < 1 ? '>99 %' : rounded[k] === 0 && x.p > 0 ? '<1 %' : `${rounded[k]} %`));
  return out;
}
