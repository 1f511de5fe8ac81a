import { describe, expect, it } from 'vitest';
import { annealingArea, findWarmupEnd, forwardArea, warmupAsPeak } from '../src/law/areas.js';
import { lossAtSteps } from '../src/law/evaluate-law.js';
import { lawLoss } from '../src/law/momentum-law.js';
import { mulberry32 } from './helpers/random.js';

describe('forwardArea (S1)', () => {
  it('is the cumulative LR of the steps before s', () => {
    const s1 = forwardArea([1, 2, 3, 4]);
    expect(Array.from(s1)).toEqual([0, 1, 3, 6, 10]);
  });
});

describe('annealingArea (S2)', () => {
  it('matches the closed form Σ_k (η_{k−1} − η_k)(1 − λ^(s−k))/(1 − λ) on random schedules', () => {
    const rand = mulberry32(7);
    for (let trial = 0; trial < 20; trial++) {
      const n = 50 + Math.floor(rand() * 200);
      const lrs = Array.from({ length: n }, () => rand() * 1e-3);
      const lambda = 0.9 + 0.099 * rand();
      const s2 = annealingArea(lrs, lambda);
      for (const s of [1, 2, Math.floor(n / 2), n]) {
        let closed = 0;
        for (let k = 1; k <= s - 1; k++) closed += ((lrs[k - 1] - lrs[k]) * (1 - Math.pow(lambda, s - k))) / (1 - lambda);
        expect(s2[s]).toBeCloseTo(closed, 12);
      }
    }
  });

  it('is zero for a constant LR and grows after a drop, with a delay of about 1/(1−λ)', () => {
    const lrs = [...new Array(100).fill(1e-3), ...new Array(3000).fill(1e-4)];
    const s2 = annealingArea(lrs, 0.999);
    expect(s2[100]).toBe(0);
    // one step after the drop the momentum is the drop itself
    expect(s2[101]).toBeCloseTo(9e-4, 12);
    expect(s2[102]).toBeCloseTo(9e-4 * (1 + 0.999), 12);
    // S2 saturates at drop/(1−λ) = 0.9: after n steps it has reached 1 − λ^n of it
    expect(s2[3100]).toBeCloseTo(0.9 * (1 - Math.pow(0.999, 3000)), 9);
  });

  it('goes negative when the LR rises (re-warming raises the predicted loss)', () => {
    const s2 = annealingArea([1e-4, 2e-4, 3e-4, 3e-4], 0.999);
    expect(s2[4]).toBeLessThan(0);
  });
});

describe('warmup treatment', () => {
  it('warmupAsPeak counts warmup steps at the first post-warmup LR', () => {
    expect(Array.from(warmupAsPeak([0, 1, 2, 3, 3, 2], 3))).toEqual([3, 3, 3, 3, 3, 2]);
  });
  it('findWarmupEnd finds the first step at the maximum', () => {
    expect(findWarmupEnd([0, 1, 2, 3, 3, 2])).toBe(3);
    expect(findWarmupEnd([5, 4, 3])).toBe(0);
  });
  it('lossAtSteps evaluates the law on the areas', () => {
    const params = { L0: 2, A: 1, alpha: 0.5, C: 3, lambda: 0.99 };
    const lrs = [0.1, 0.2, 0.2, 0.1, 0.05];
    const s1 = forwardArea(lrs);
    const s2 = annealingArea(lrs, 0.99);
    expect(lossAtSteps(params, lrs, [2, 5])).toEqual([lawLoss(params, s1[2], s2[2]), lawLoss(params, s1[5], s2[5])]);
  });
});
