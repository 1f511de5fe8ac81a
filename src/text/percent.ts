/** A share as a whole percentage for people: 0.714 → "71 %". */
export function formatPercent(x: number): string {
  return `${Math.round(100 * x)} %`;
}
