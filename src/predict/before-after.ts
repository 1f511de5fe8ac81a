/**
 * Closing the loop of a pilot run: an earlier compare (its --json document, made before the pilot's
 * log was added to the fit) set beside the ranking made now, candidate by candidate, and the
 * decision before and after in one sentence.
 */
import { usageError } from '../errors.js';
import { readStructuredFile } from '../io/structured-file.js';
import type { Ranking } from './rank.js';
import { formatPercent } from '../text/percent.js';

/** One candidate as a compare --json document holds it. */
interface SavedCandidate {
  rank: number;
  name: string;
  schedule: string;
  finalLoss: number | null;
  pBest?: number;
  tie: boolean;
}

/** The parts of an earlier compare --json document that the comparison needs. */
export interface EarlierComparison {
  path: string;
  pick: string;
  pBest: number | null;
  ranking: SavedCandidate[];
}

/** A candidate before and after (null where the earlier comparison did not have it). */
export interface BeforeAfterRow {
  name: string;
  schedule: string;
  before: { rank: number; finalLoss: number | null; pBest: number | null } | null;
  after: { rank: number; finalLoss: number; pBest: number | null };
}

/** The decision before and after, side by side. */
export interface BeforeAfter {
  path: string;
  /** The earlier pick and its P(best); the pick now and its P(best). */
  before: { pick: string; pBest: number | null };
  after: { pick: string; pBest: number | null };
  /** The pick changed. */
  changed: boolean;
  rows: BeforeAfterRow[];
  /** Candidates of the earlier comparison that are not among today's (by schedule). */
  dropped: string[];
  text: string;
}

/** Reads a compare --json document (the decision before a pilot); a usage error when it is not one. */
export function readEarlierComparison(path: string): EarlierComparison {
  const doc = readStructuredFile(path, 'earlier comparison') as { command?: unknown; ranking?: unknown };
  if (doc?.command !== 'compare' || !Array.isArray(doc.ranking) || doc.ranking.length === 0) throw usageError(`${path}: not a losscast compare --json document (it needs "command": "compare" and a "ranking"); save the earlier comparison with compare … --json > FILE`);
  const ranking = (doc.ranking as SavedCandidate[]).filter((r) => typeof r?.schedule === 'string' && typeof r.name === 'string' && typeof r.rank === 'number');
  if (ranking.length === 0) throw usageError(`${path}: its ranking has no candidate with a name, schedule and rank`);
  const first = [...ranking].sort((a, b) => a.rank - b.rank)[0];
  return { path, pick: first.name, pBest: typeof first.pBest === 'number' ? first.pBest : null, ranking };
}

const pct = (x: number | null) => (x === null ? 'no P(best)' : `P(best) ${formatPercent(x)}`);

/** Today's ranking beside the earlier one, matched by schedule (as the specs were written); `law` names today's law when compare ranks under two. */
export function beforeAfter(earlier: EarlierComparison, now: Ranking, law?: string): BeforeAfter {
  const bySchedule = new Map(earlier.ranking.map((r) => [r.schedule, r]));
  const rows = now.ranking.map((r): BeforeAfterRow => {
    const b = bySchedule.get(r.schedule);
    return { name: r.name, schedule: r.schedule, before: b ? { rank: b.rank, finalLoss: b.finalLoss, pBest: b.pBest ?? null } : null, after: { rank: r.rank, finalLoss: r.finalLoss, pBest: r.pBest ?? null } };
  });
  const schedules = new Set(now.ranking.map((r) => r.schedule));
  const best = now.ranking[0];
  const before = { pick: earlier.pick, pBest: earlier.pBest };
  const after = { pick: best.name, pBest: best.pBest ?? null };
  const pickedBefore = earlier.ranking.find((r) => r.name === earlier.pick)!;
  const changed = pickedBefore.schedule !== best.schedule;
  const shared = rows.some((r) => r.before !== null);
  const under = law ? ` (under the ${law})` : '';
  const text = !shared
    ? `${earlier.path} ranked none of these candidates (matched by schedule): nothing to set beside today's pick ${after.pick}${under}.`
    : changed
      ? `The new runs changed the pick${under}: ${before.pick} (${pct(before.pBest)}) before, ${after.pick} (${pct(after.pBest)}) now.`
      : `The new runs confirm the pick ${after.pick}${under}: ${pct(before.pBest)} before, ${pct(after.pBest)} now.`;
  return { path: earlier.path, before, after, changed, rows, dropped: earlier.ranking.filter((r) => !schedules.has(r.schedule)).map((r) => r.name), text };
}
