/**
 * The decision a report leads with: one sentence that answers the command's question with its
 * certainty, then what could change it (the verdict's reasons and the warnings that bear on the
 * decision, most serious first). Every page and terminal report prints it before anything else;
 * the other warnings follow the report.
 */
import type { Warning } from '../warnings.js';
import { readableNumbers } from './precision.js';
import { BOLD, paint, wrapText } from './style.js';

/** What a report leads with. */
export interface Decision {
  /** The answer, one sentence (plain text). */
  text: string;
  /** Why it is less sure than it looks, most serious first (plain text). */
  reasons: string[];
  /** How observed ends fall against their predicted intervals ("1 of 4 real runs ends outside its interval: …"); null when nothing observed has an interval. */
  misses?: Misses | null;
}

/** Warning codes that can change a decision, most serious first; any other code is a note. */
const DECISION_WARNINGS = [
  'no-prediction',
  'annealing-not-identifiable',
  'c-not-identifiable',
  'param-at-bound',
  'interval-at-bound',
  'peak-lr-extrapolation',
  'warmup-unseen',
  'zero-lr-padding',
  'lr-increase',
  'optimum-at-bound',
  'gain-not-sure',
  'poor-fit',
  'few-samples',
  'no-held-out-evidence',
  'param-atypical',
  'drop-shape-regularised',
  'prior-used',
];

/** The warnings that bear on the decision (most serious first) and the rest (notes), each without repeats. */
export function rankWarnings(warnings: readonly Warning[]): { decisive: Warning[]; notes: Warning[] } {
  const seen = new Set<string>();
  const unique = warnings.filter((w) => !seen.has(`${w.code}\n${w.message}`) && seen.add(`${w.code}\n${w.message}`));
  const rank = (w: Warning) => DECISION_WARNINGS.indexOf(w.code);
  const decisive = unique.filter((w) => rank(w) >= 0).sort((a, b) => rank(a) - rank(b));
  return { decisive, notes: unique.filter((w) => rank(w) < 0) };
}

/** A bound named in text: "β = 0.01 is at its lower bound". */
function atBound(symbol: string, text: string): boolean {
  return new RegExp(`${symbol.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} = \\S+ is at its (lower|upper) bound`).test(text);
}

/**
 * Whether a warning adds nothing: a reason already says it (maybe reworded at its start), or it is
 * an interval reaching a bound of a parameter that a reason or another warning says is at that bound.
 */
function said(reasons: string, atBounds: string, w: Warning): boolean {
  if (reasons.includes(w.message.replace(/^[^:]*: /, '').slice(0, 60))) return true;
  const symbol = w.code === 'interval-at-bound' ? /interval of (\S+)/.exec(w.message)?.[1] : undefined;
  return symbol !== undefined && atBound(symbol, `${reasons}\n${atBounds}`);
}

/** The decisive warnings a decision's reasons do not already say. */
export function unsaidWarnings(decision: Decision, warnings: readonly Warning[]): Warning[] {
  const reasons = decision.reasons.join('\n');
  const atBounds = warnings.filter((w) => w.code === 'param-at-bound').map((w) => w.message).join('\n');
  return rankWarnings(warnings).decisive.filter((w) => !said(reasons, atBounds, w));
}

/** Observed ends judged against their intervals: the sentence, and how many lie outside. */
export interface Misses {
  text: string;
  outside: number;
}

/** The decision for the terminal: the answer in bold, then the misses and reasons indented, wrapped to `width`. */
export function decisionLines(decision: Decision, width: number, color: boolean, warnings: readonly Warning[] = []): string[] {
  const lines = wrapText(decision.text, width).map((l) => paint(l, BOLD, color));
  if (decision.misses) lines.push(...wrapText(decision.misses.text, width, '  ', '    '));
  for (const reason of decision.reasons) lines.push(...wrapText(readableNumbers(reason, 6), width, '  ', '    '));
  for (const w of unsaidWarnings(decision, warnings)) lines.push(...wrapText(`⚠ ${readableNumbers(w.message, 6)}`, width, '  ', '    '));
  return lines;
}

/** An observed final value against its predicted interval. */
export interface ObservedEnd {
  label: string;
  observed: number;
  interval?: { lo: number; hi: number };
}

/**
 * Every observed end outside its interval, counted and named ("1 of 4 real runs ends outside its
 * 90 % interval: WSD exp observed 2.7222 against 2.6843–2.7166"); null when none has an interval.
 */
export function missesText(ends: readonly ObservedEnd[], what: string, level: string, digits = 4): Misses | null {
  const judged = ends.filter((e) => e.interval && Number.isFinite(e.interval.lo) && Number.isFinite(e.interval.hi) && Number.isFinite(e.observed));
  if (judged.length === 0) return null;
  const out = judged.filter((e) => e.observed < e.interval!.lo || e.observed > e.interval!.hi);
  const f = (v: number) => v.toFixed(digits);
  if (out.length === 0) return { text: judged.length === 1 ? `The ${what} ends inside its ${level} interval.` : `All ${judged.length} ${what}s end inside their ${level} interval.`, outside: 0 };
  const plural = out.length > 1;
  // a few with their numbers; many by name only (the tables have the numbers)
  const named = out.length <= 3 ? out.map((e) => `${e.label} observed ${f(e.observed)} against ${f(e.interval!.lo)}–${f(e.interval!.hi)}`).join('; ') : out.map((e) => e.label).join(', ');
  return { text: `${out.length} of ${judged.length} ${what}s end${plural ? '' : 's'} outside ${plural ? 'their' : 'its'} ${level} interval: ${named}.`, outside: out.length };
}
