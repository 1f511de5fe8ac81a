/** The --fit runs that are also candidates of a compare: their observed points go over their predictions. */
import type { Candidate } from '../predict/candidates.js';
import type { ObservedRun } from '../render/html/prediction-html.js';
import { parseSchedule } from '../schedule/schedule.js';
import { loadRuns } from './commands/fit.js';
import type { LogOptionValues } from './options.js';

/** A schedule spec in one canonical form (so "final=3e-5" and "final=0.00003" match), or null when it does not parse. */
function canonical(spec: string): string | null {
  try {
    return parseSchedule(spec).text;
  } catch {
    return null;
  }
}

/** The fitted runs whose schedule is one of the candidates', named by that candidate (none without --fit). */
export async function fittedCandidateRuns(fit: readonly string[] | undefined, candidates: readonly Candidate[], o: LogOptionValues & { json?: boolean; quiet?: boolean }): Promise<ObservedRun[]> {
  if (!fit?.length) return [];
  const wanted = new Map(candidates.map((c) => [canonical(c.spec), c.name]));
  const runs = await loadRuns(fit, { ...o, quiet: true });
  return runs.flatMap((r) => {
    const name = r.schedule ? wanted.get(canonical(r.schedule)) : undefined;
    return name ? [{ candidate: name, label: `${r.label} (fitted)`, steps: r.steps, loss: r.loss }] : [];
  });
}
