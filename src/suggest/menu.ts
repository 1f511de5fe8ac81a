/**
 * The menu suggest proposes when the user gives none: short cooldowns branched from saved
 * checkpoints of a fitted run that holds its peak LR (the cheapest runs that show the law how
 * this model anneals), at two checkpoints, two lengths and two shapes.
 */
import type { Run } from '../core/run.js';
import { lrAt } from '../core/lr-profile.js';
import { bareLabel, firstLrDifference, MAX_PILOTS, type Pilot } from './pilots.js';
import { parseSchedule, scheduleProfile } from '../schedule/schedule.js';

/** Where the checkpoints sit, as shares of the run's stretch at its peak LR. */
const CHECKPOINTS = [0.3, 0.6];
/** Cooldown lengths, as shares of the checkpoint's step. */
const COOLDOWNS = [0.1, 0.2];
const SHAPES = ['linear', '1-sqrt'];

/** The last logged step up to which a run holds its peak LR (from its warmup on), or 0. */
export function stableUntil(run: Run): number {
  let last = 0;
  for (const s of run.steps) {
    if (s < run.lr.warmupEnd) continue;
    if (lrAt(run.lr, Math.min(s, run.lr.length) - 1) < (1 - 1e-3) * run.lr.peak) break;
    last = s;
  }
  return last;
}

/** A round step near `x` (two significant digits). */
function roundStep(x: number): number {
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(1, x))) - 1);
  return Math.max(1, Math.round(x / unit) * unit);
}

/** The proposed pilots: cooldown branches of every fitted run that holds its peak long enough (at most MAX_PILOTS, the first runs first); empty when none does. */
export function defaultMenu(runs: readonly Run[]): Pilot[] {
  return proposedPilots(runs).slice(0, MAX_PILOTS);
}

/** Every proposed pilot, uncut. */
export function proposedPilots(runs: readonly Run[]): Pilot[] {
  const out: Pilot[] = [];
  for (const run of runs) {
    const stable = stableUntil(run);
    const warmup = run.lr.warmupEnd;
    if (stable - warmup < 1000) continue;
    const name = bareLabel(run.label);
    for (const at of CHECKPOINTS) {
      const step = roundStep(warmup + at * (stable - warmup));
      for (const share of COOLDOWNS) {
        const decay = roundStep(share * step);
        for (const shape of SHAPES) {
          const schedule = `wsd:peak=${run.lr.peak},warmup=${warmup},total=${step + decay},decay=${decay},shape=${shape},final=0`;
          const parsed = parseSchedule(schedule);
          if (firstLrDifference(scheduleProfile(parsed, step + decay), run.lr, step, run.lr.peak) !== null) continue; // its warmup is not the run's
          out.push({ name: `${name}@${step} + ${decay} ${shape}`, schedule, cost: decay, branchFrom: { run: name, step } });
        }
      }
    }
  }
  return out;
}
