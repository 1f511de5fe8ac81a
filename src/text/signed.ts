/** A loss difference for people, always signed, 4 decimals unless told: "+0.0042", "−0.0010" (a real minus sign). */
export function formatSigned(x: number, digits = 4): string {
  return `${x < 0 ? '−' : '+'}${Math.abs(x).toFixed(digits)}`;
}
