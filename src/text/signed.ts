/** A loss difference for people, always signed, 4 decimals: "+0.0042", "−0.0010" (a real minus sign). */
export function formatSigned(x: number): string {
  return `${x < 0 ? '−' : '+'}${Math.abs(x).toFixed(4)}`;
}
