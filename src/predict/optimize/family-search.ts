/**
 * The best schedule of a family (wsd, cosine, step) for a fitted law: every point of a coarse
 * grid is scored, then the best few are refined by a pattern search on their continuous knobs
 * (a step that improves is kept, otherwise the step is halved). Scores are the law's final loss
 * through the same profile and loss code as `compare`; a knob that ends at the edge of its range
 * is reported, since a better schedule may lie beyond it.
 */
import type { Model } from '../../law/types.js';
import { lawByName } from '../../law/registry.js';
import { parseSchedule, scheduleProfile } from '../../schedule/schedule.js';
import { specNumber } from '../../schedule/spec.js';
import { notALoss } from '../validity.js';

/** The families optimize searches. */
export const SEARCH_FAMILIES = ['wsd', 'cosine', 'step'] as const;
/** One of SEARCH_FAMILIES. */
export type SearchFamily = (typeof SEARCH_FAMILIES)[number];

/** The fixed frame of every candidate: its peak LR, warmup and length. */
export interface Frame {
  peak: number;
  warmup: number;
  total: number;
}

/** A point of a search space: numbers (refined) and names (fixed once chosen). */
type Knobs = Record<string, number | string>;

/** A continuous knob's range and first refinement step; `whole` knobs are step counts. */
interface Range {
  lo: number;
  hi: number;
  step: number;
  whole?: boolean;
  /** An edge where ending is expected, not a sign the range was too small (e.g. a final LR of 0). */
  naturalLo?: boolean;
}

/** A family's search space. */
interface Space {
  grid(f: Frame): Knobs[];
  ranges(f: Frame, k: Knobs): Record<string, Range>;
  spec(f: Frame, k: Knobs): string;
  /** What a knob is, for a warning ("decay length"). */
  names: Record<string, string>;
}

/** A learning rate or factor, rounded to 4 digits, as a spec writes it. */
const num = (x: number) => specNumber(Number(x.toPrecision(4)));

const WSD_SHAPES = ['linear', 'cosine', '1-sqrt', 'square', 'exponential', 'mirror-cosine'];

const SPACES: Record<SearchFamily, Space> = {
  wsd: {
    grid(f) {
      const span = f.total - f.warmup;
      const out: Knobs[] = [];
      for (const fraction of [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5]) {
        const decay = Math.round(fraction * f.total);
        if (decay < 1 || decay > span) continue;
        for (const shape of WSD_SHAPES) for (const final of [0, 0.01, 0.03, 0.1]) if (!(shape === 'exponential' && final === 0)) out.push({ decay, shape, final: final * f.peak });
      }
      return out;
    },
    ranges(f, k) {
      return {
        decay: { lo: Math.max(1, Math.round(0.01 * f.total)), hi: f.total - f.warmup, step: Math.max(1, Math.round(0.025 * f.total)), whole: true },
        final: { lo: k.shape === 'exponential' ? 1e-4 * f.peak : 0, hi: 0.5 * f.peak, step: 0.01 * f.peak, naturalLo: true },
      };
    },
    spec: (f, k) => `wsd:peak=${specNumber(f.peak)},warmup=${f.warmup},total=${f.total},decay=${k.decay},shape=${k.shape},final=${num(k.final as number)}`,
    names: { decay: 'cooldown length', final: 'final LR' },
  },
  cosine: {
    grid: (f) => [0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3].map((r) => ({ final: r * f.peak })),
    ranges: (f) => ({ final: { lo: 0, hi: 0.9 * f.peak, step: 0.02 * f.peak, naturalLo: true } }),
    spec: (f, k) => `cosine:peak=${specNumber(f.peak)},warmup=${f.warmup},total=${f.total},final=${num(k.final as number)}`,
    names: { final: 'final LR' },
  },
  step: {
    grid(f) {
      const out: Knobs[] = [];
      const at = (x: number) => Math.round(x * f.total);
      for (const m of [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]) for (const factor of [0.03, 0.1, 0.2, 0.316, 0.5]) if (at(m) > f.warmup) out.push({ m1: at(m), f1: factor });
      for (const m1 of [0.6, 0.7, 0.8, 0.85]) {
        for (const m2 of [0.85, 0.9, 0.95]) {
          if (m2 <= m1 || at(m1) <= f.warmup) continue;
          for (const [f1, f2] of [[0.316, 0.1], [0.5, 0.1], [0.316, 0.03], [0.2, 0.03], [0.5, 0.2]]) out.push({ m1: at(m1), f1, m2: at(m2), f2 });
        }
      }
      return out;
    },
    ranges(f, k) {
      const two = k.m2 !== undefined;
      const step = Math.max(1, Math.round(0.02 * f.total));
      return {
        m1: { lo: f.warmup + 1, hi: two ? (k.m2 as number) - 1 : f.total - 1, step, whole: true },
        f1: { lo: 0.001, hi: 1, step: 0.05 },
        ...(two ? { m2: { lo: (k.m1 as number) + 1, hi: f.total - 1, step, whole: true }, f2: { lo: 0.0001, hi: k.f1 as number, step: 0.02 } } : {}),
      };
    },
    spec(f, k) {
      const two = k.m2 !== undefined;
      return `step:peak=${specNumber(f.peak)},warmup=${f.warmup},total=${f.total},milestones=${two ? `${k.m1}/${k.m2}` : k.m1},factors=${two ? `${num(k.f1 as number)}/${num(k.f2 as number)}` : num(k.f1 as number)}`;
    },
    names: { m1: 'first milestone', f1: 'first factor', m2: 'second milestone', f2: 'second factor' },
  },
};

/** The best schedule of one family. */
export interface FamilyBest {
  family: SearchFamily;
  spec: string;
  /** The law's final loss (the ranking code path; `optimize` reports the prediction's). */
  finalLoss: number;
  /** Knobs that ended at the edge of their searched range (e.g. "cooldown length"). */
  atEdge: string[];
  /** Schedules scored. */
  evaluations: number;
}

/** Scores specs with one law (final loss at total; Infinity for a spec that does not parse or a value that is not a loss), cached. */
export function makeScorer(model: Model, total: number): { score: (spec: string) => number; count: () => number } {
  const law = lawByName(model.law);
  const cache = new Map<string, number>();
  return {
    score(spec) {
      let value = cache.get(spec);
      if (value === undefined) {
        try {
          value = law.lossAt(model, scheduleProfile(parseSchedule(spec), total), [total])[0];
          if (notALoss(value)) value = Infinity;
        } catch {
          value = Infinity; // a knob combination the family refuses (e.g. a milestone after total)
        }
        cache.set(spec, value);
      }
      return value;
    },
    count: () => cache.size,
  };
}

/** Pattern search on the continuous knobs from `start`; returns the best knobs and their score. */
function refine(space: Space, frame: Frame, start: Knobs, score: (spec: string) => number): { knobs: Knobs; value: number } {
  let knobs = { ...start };
  let value = score(space.spec(frame, knobs));
  const ranges = space.ranges(frame, knobs);
  const steps = Object.fromEntries(Object.entries(ranges).map(([k, r]) => [k, r.step]));
  for (let round = 0; round < 40; round++) {
    let improved = false;
    for (const name of Object.keys(ranges)) {
      const current = space.ranges(frame, knobs)[name]; // ranges may depend on other knobs (ordered milestones)
      for (const sign of [1, -1]) {
        let next = (knobs[name] as number) + sign * steps[name];
        next = Math.min(current.hi, Math.max(current.lo, current.whole ? Math.round(next) : next));
        if (next === knobs[name]) continue;
        const trial = { ...knobs, [name]: next };
        const v = score(space.spec(frame, trial));
        if (v < value) {
          knobs = trial;
          value = v;
          improved = true;
          break;
        }
      }
    }
    if (!improved) {
      let shrinking = false;
      for (const name of Object.keys(steps)) {
        const min = ranges[name].whole ? 1 : 1e-4 * Math.max(1e-30, ranges[name].hi);
        if (steps[name] > min) {
          steps[name] = Math.max(min, steps[name] / 2);
          shrinking = true;
        }
      }
      if (!shrinking) break;
    }
  }
  return { knobs, value };
}

/** The best schedule of `family` for `model` in `frame`. */
export function searchFamily(model: Model, family: SearchFamily, frame: Frame): FamilyBest {
  const space = SPACES[family];
  const { score, count } = makeScorer(model, frame.total);
  const scored = space.grid(frame).map((knobs) => ({ knobs, value: score(space.spec(frame, knobs)) }));
  scored.sort((a, b) => a.value - b.value);
  // refine the best grid point of each discrete choice among the best few
  const seeds: Knobs[] = [];
  for (const s of scored) {
    if (seeds.length >= 3 || !Number.isFinite(s.value)) break;
    if (!seeds.some((k) => k.shape === s.knobs.shape && (k.m2 === undefined) === (s.knobs.m2 === undefined))) seeds.push(s.knobs);
  }
  if (seeds.length === 0) return { family, spec: space.spec(frame, space.grid(frame)[0] ?? {}), finalLoss: Number.NaN, atEdge: [], evaluations: count() };
  const best = seeds.map((k) => refine(space, frame, k, score)).reduce((a, b) => (b.value < a.value ? b : a));
  const ranges = space.ranges(frame, best.knobs);
  const atEdge = Object.entries(ranges)
    .filter(([name, r]) => {
      const v = best.knobs[name] as number;
      const near = (x: number) => Math.abs(v - x) <= (r.whole ? 0 : 1e-9 * Math.max(1e-30, r.hi));
      return (near(r.lo) && !r.naturalLo) || near(r.hi);
    })
    .map(([name]) => space.names[name]);
  return { family, spec: space.spec(frame, best.knobs), finalLoss: best.value, atEdge, evaluations: count() };
}
