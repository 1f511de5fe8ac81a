/**
 * An LR profile as plain data, to hand to a worker thread: a varying segment's η(t) is a function,
 * which cannot be sent, so it travels as its values at every step of the segment and is read back
 * from them (the same numbers at every step, so a fit in the worker is the fit made here).
 */
import { isConstant, type LrProfile, type LrSegment } from './lr-profile.js';

/** A segment as plain data. */
type PortableSegment = { from: number; to: number; lr: number } | { from: number; to: number; values: Float64Array };

/** A profile as plain data. */
export interface PortableProfile {
  length: number;
  warmupEnd: number;
  peak: number;
  segments: PortableSegment[];
}

/** The profile as plain data (a structured clone can carry it). */
export function portableProfile(profile: LrProfile): PortableProfile {
  return {
    length: profile.length,
    warmupEnd: profile.warmupEnd,
    peak: profile.peak,
    segments: profile.segments.map((s) => (isConstant(s) ? { from: s.from, to: s.to, lr: s.lr } : { from: s.from, to: s.to, values: Float64Array.from({ length: s.to - s.from }, (_, i) => s.lrAt(s.from + i)) })),
  };
}

/** The profile back from plain data. */
export function profileFromPortable(p: PortableProfile): LrProfile {
  const segments = p.segments.map((s): LrSegment => {
    if ('lr' in s) return s;
    const { from, values } = s;
    return { from, to: s.to, lrAt: (t: number) => values[t - from] };
  });
  return { length: p.length, warmupEnd: p.warmupEnd, peak: p.peak, segments };
}
