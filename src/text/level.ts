/** An interval's level for people: "90 %", "95.5 %" (one decimal at most, never rounded to a wrong whole). */
export function formatLevel(level: number): string {
  return `${Number((100 * level).toFixed(1))} %`;
}
