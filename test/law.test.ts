import { describe, expect, it } from 'vitest';
import { forwardAreaAt, makeProfile, profileFromPoints, profileFromValues, warmupAtPeak } from '../src/core/lr-profile.js';
import { momentumAreas } from '../src/law/momentum/areas.js';
import { momentumLoss, momentumLossAt } from '../src/law/momentum/law.js';
import { parseSchedule, scheduleProfile } from '../src/schedule/schedule.js';
import { profileValues } from './helpers/profile.js';
import { mulberry32 } from './helpers/random.js';

/** S1 and S2 of every step 0 … n, computed the plain way (an array per step) for comparison. */
function plainAreas(lrs: readonly number[], lambda: number): { s1: number[]; s2: number[] } {
  const s1 = [0];
  const s2 = [0];
  let m = 0;
  for (let t = 0; t < lrs.length; t++) {
    if (t > 0) m = lambda * m + (lrs[t - 1] - lrs[t]);
    s1.push(s1[t] + lrs[t]);
    s2.push(s2[t] + m);
  }
  return { s1, s2 };
}

const every = (n: number) => Array.from({ length: n + 1 }, (_, s) => s);

describe('forward area S1', () => {
  it('is the cumulative LR of the steps before s', () => {
    expect(Array.from(forwardAreaAt(profileFromValues([1, 2, 3, 4]), [0, 1, 2, 3, 4]))).toEqual([0, 1, 3, 6, 10]);
  });
});

describe('annealing area S2 (streaming, constant stretches in closed form)', () => {
  it('matches the closed form Σ_k (η_{k−1} − η_k)(1 − λ^(s−k))/(1 − λ) on random schedules', () => {
    const rand = mulberry32(7);
    for (let trial = 0; trial < 20; trial++) {
      const n = 50 + Math.floor(rand() * 200);
      const lrs = Array.from({ length: n }, () => rand() * 1e-3);
      const lambda = 0.9 + 0.099 * rand();
      const steps = [1, 2, Math.floor(n / 2), n];
      const { s2 } = momentumAreas(profileFromValues(lrs), steps, lambda);
      steps.forEach((s, i) => {
        let closed = 0;
        for (let k = 1; k <= s - 1; k++) closed += ((lrs[k - 1] - lrs[k]) * (1 - Math.pow(lambda, s - k))) / (1 - lambda);
        expect(s2[i]).toBeCloseTo(closed, 12);
      });
    }
  });

  it('gives the same areas at every step whether stretches are constant segments or stepped one by one', () => {
    const rand = mulberry32(11);
    for (let trial = 0; trial < 10; trial++) {
      // piecewise-constant LRs with long flat runs (constant segments) and noisy stretches (varying)
      const lrs: number[] = [];
      while (lrs.length < 600) {
        const level = rand() * 1e-3;
        const flat = rand() < 0.5;
        const len = 1 + Math.floor(rand() * 120);
        for (let i = 0; i < len; i++) lrs.push(flat ? level : rand() * 1e-3);
      }
      const lambda = 0.95 + 0.049 * rand();
      const profile = profileFromValues(lrs);
      expect(profile.segments.some((s) => 'lr' in s)).toBe(true);
      const plain = plainAreas(lrs, lambda);
      const { s1, s2 } = momentumAreas(profile, every(lrs.length), lambda);
      every(lrs.length).forEach((s) => {
        expect(s1[s]).toBeCloseTo(plain.s1[s], 12);
        expect(s2[s]).toBeCloseTo(plain.s2[s], 11);
      });
    }
  });

  it('is zero for a constant LR and grows after a drop, with a delay of about 1/(1−λ)', () => {
    const profile = makeProfile([
      { from: 0, to: 100, lr: 1e-3 },
      { from: 100, to: 3100, lr: 1e-4 },
    ]);
    const { s2 } = momentumAreas(profile, [100, 101, 102, 3100], 0.999);
    expect(s2[0]).toBe(0);
    // one step after the drop the momentum is the drop itself
    expect(s2[1]).toBeCloseTo(9e-4, 12);
    expect(s2[2]).toBeCloseTo(9e-4 * (1 + 0.999), 12);
    // S2 saturates at drop/(1−λ) = 0.9: after n steps it has reached 1 − λ^n of it
    expect(s2[3]).toBeCloseTo(0.9 * (1 - Math.pow(0.999, 3000)), 9);
  });

  it('goes negative when the LR rises (re-warming raises the predicted loss)', () => {
    const { s2 } = momentumAreas(profileFromValues([1e-4, 2e-4, 3e-4, 3e-4]), [4], 0.999);
    expect(s2[0]).toBeLessThan(0);
  });

  it('handles a 10⁹-step schedule in constant memory (closed form over the flat part)', () => {
    const schedule = parseSchedule('wsd:peak=3e-4,warmup=1000,total=1000000000,decay=2000,final=3e-5');
    const profile = scheduleProfile(schedule, 1e9);
    expect(profile.segments.length).toBeLessThan(10);
    const { s1 } = momentumAreas(profile, [1e9 - 2000], 0.999);
    expect(s1[0]).toBeCloseTo(3e-4 * (1e9 - 2000 - 1000) + (3e-4 * (1000 - 1)) / 2, 3);
  });
});

describe('warmup treatment', () => {
  it('warmupAtPeak counts warmup steps at the first post-warmup LR', () => {
    expect(profileValues(warmupAtPeak(profileFromValues([0, 1, 2, 3, 3, 2])))).toEqual([3, 3, 3, 3, 3, 2]);
  });
  it('the warmup end is the first step at the maximum', () => {
    expect(profileFromValues([0, 1, 2, 3, 3, 2]).warmupEnd).toBe(3);
    expect(profileFromValues([5, 4, 3]).warmupEnd).toBe(0);
  });
  it('momentumLossAt evaluates the law on the areas', () => {
    const params = { L0: 2, A: 1, alpha: 0.5, C: 3, lambda: 0.99 };
    const lrs = [0.1, 0.2, 0.2, 0.1, 0.05];
    const { s1, s2 } = plainAreas(lrs, 0.99);
    expect(Array.from(momentumLossAt(params, profileFromValues(lrs), [2, 5]))).toEqual([momentumLoss(params, s1[2], s2[2]), momentumLoss(params, s1[5], s2[5])]);
  });
});

describe('LR profiles', () => {
  it('a schedule profile has the same LR at every step as the schedule itself', () => {
    for (const spec of [
      'cosine:peak=3e-4,warmup=100,total=1000,final=3e-5,cycle=800',
      'wsd:peak=3e-4,warmup=100,total=1000,decay=0.3,shape=1-sqrt',
      'step:peak=3e-4,warmup=50,total=1000,milestones=0.5/0.8,factors=0.3/0.1',
      'invsqrt:peak=3e-4,warmup=100,total=1000,final=2e-4',
      'infinite:peak=3e-4,warmup=50,total=1000,cooldown=300,const=1e-4,anneal=200,final=1e-5',
    ]) {
      const schedule = parseSchedule(spec);
      const values = profileValues(scheduleProfile(schedule, 1000));
      values.forEach((v, t) => expect(v).toBe(schedule.lrAt(t)));
    }
  });

  it('rebuilds logged points: linear between, held after, a ramp or the extrapolated trend before', () => {
    expect(profileValues(profileFromPoints([4, 8], [4, 2], 10))).toEqual([0, 1, 2, 3, 4, 3.5, 3, 2.5, 2, 2]);
    expect(profileValues(profileFromPoints([4, 8], [4, 2], 10, 'extrapolate'))).toEqual([6, 5.5, 5, 4.5, 4, 3.5, 3, 2.5, 2, 2]);
    expect(profileValues(profileFromPoints([0, 3, 6], [1, 1, 2], 8))).toEqual([1, 1, 1, 1, 1 + 1 / 3, 1 + 2 / 3, 2, 2]);
  });
});
