/**
 * One colour per schedule, the same in every chart and table of a page and in the terminal:
 * nine colour-blind-safe hues (six of Okabe–Ito's, Tol's indigo, wine and olive, and black; in
 * the dark scheme lighter versions that stay apart) and a neutral for what was observed. A report assigns each schedule its index once, in ranking order, and every
 * chart, legend and table row of that report uses it.
 */

/** How many schedules get a colour of their own (a tenth repeats the first). */
export const SERIES_COLORS_COUNT = 9;

/** The palette index of observed points (a neutral: what happened, not a schedule's prediction). */
export const OBSERVED_COLOR = 9;

/** The page's series colours, light and dark (index 9: observed). */
export const HTML_PALETTE = {
  light: ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#332288', '#882255', '#1b1b1b', '#8a8a2e', '#444a52'],
  dark: ['#5aa9e6', '#ff8c42', '#3ccf9f', '#e39cc6', '#f4c14b', '#a99cff', '#ff6b6b', '#f2f2f2', '#c8c860', '#d0d4da'],
} as const;

/** The same hues as 256-colour ANSI codes for the terminal (readable on dark and light backgrounds). */
export const ANSI_PALETTE = ['\x1b[38;5;32m', '\x1b[38;5;166m', '\x1b[38;5;36m', '\x1b[38;5;175m', '\x1b[38;5;214m', '\x1b[38;5;105m', '\x1b[38;5;167m', '\x1b[38;5;250m', '\x1b[38;5;142m'];

/** The colour index of the i-th schedule of a report. */
export function seriesColor(i: number): number {
  return ((i % SERIES_COLORS_COUNT) + SERIES_COLORS_COUNT) % SERIES_COLORS_COUNT;
}

/** Colour indices by schedule name, in the order given (the ranking order): the page's one map. */
export function colorsByName(names: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const name of names) if (!out.has(name)) out.set(name, seriesColor(out.size));
  return out;
}
