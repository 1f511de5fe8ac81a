import { type LrProfile, lrAt } from '../../src/core/lr-profile.js';

/** The per-step LR of a (small) profile as a plain array, for assertions. */
export function profileValues(profile: LrProfile): number[] {
  return Array.from({ length: profile.length }, (_, t) => lrAt(profile, t));
}
