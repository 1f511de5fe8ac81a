/**
 * The compare page: the decision first (the verdict under the first law, the real runs outside
 * their intervals), then per law the gaps, the ranking and the curves, then each law side by
 * side; one colour per schedule across the page.
 */
import { lawOf } from '../../predict/fitted-law.js';
import type { ComparisonView } from '../compare-report.js';
import { colorsByName } from '../palette.js';
import type { PageContent } from './page.js';
import { compareDecision, compareSections, lawsSideBySideSection } from './compare-html.js';
import { fittedTo, type ObservedRun } from './prediction-html.js';

/** Options of the page. */
export interface ComparePageOptions {
  total?: number;
  tail?: number;
  logY?: boolean;
  observed?: readonly ObservedRun[];
  /** What the observed runs are, for the decision ("fitted run"; default "real run"). */
  observedAs?: string;
}

/** The page's content (without the command line). */
export function comparePage(view: ComparisonView, count: number, options: ComparePageOptions = {}): Omit<PageContent, 'argv'> {
  const [law] = view.laws;
  const colors = colorsByName(view.rankings[0].ranking.map((r) => r.name));
  const sections = view.laws.flatMap((l, i) => compareSections(l, view.rankings[i], { total: options.total, tail: options.tail, logY: options.logY, colors, observed: options.observed, fittedTo: fittedTo(l) }));
  const side = lawsSideBySideSection(view.laws, view.rankings, colors);
  if (side) sections.splice(1, 0, side);
  const warnings = [...view.laws.flatMap((l) => l.notes), ...view.rankings[0].ranking.flatMap((r) => r.warnings)];
  return {
    title: `Which of ${count} learning-rate schedules ends lowest`,
    subtitle: `losscast compare report (${view.laws.map((l) => lawOf(l).title).join(' and ')}): the gap of each candidate to the best with its interval, the ranking with P(best) and ties, and every candidate's curve.`,
    decision: compareDecision(law, view.rankings[0], options.observed, options.observedAs),
    sections,
    warnings,
  };
}
