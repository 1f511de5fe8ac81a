/** The Multi-Power Law's variable-projection descent (src/law/mpl/descend.ts) on compiled points. */
import { describe, expect, it } from 'vitest';
import { HUBER_DELTA } from '../src/fit/huber.js';
import { solveLinearPart } from '../src/fit/linear-part.js';
import { compileChanges } from '../src/law/mpl/changes.js';
import { descend } from '../src/law/mpl/descend.js';
import { firstCountedChange, mplLossAt, type MplParams } from '../src/law/mpl/law.js';
import { buildPoints, type MplPoints, predict, THETA, toTheta } from '../src/law/mpl/objective.js';
import { parseSchedule, scheduleProfile } from '../src/schedule/schedule.js';

const TRUE: MplParams = { L0: 2.4, A: 0.65, alpha: 0.43, B: 520, C: 2, beta: 0.6, gamma: 0.6 };
const PEAK = 3e-4;

/** Points of two runs (a cosine to 0, as a fine-tuning log's, and a WSD) simulated from TRUE with a little deterministic noise. */
function points(): MplPoints {
  const runs = ['cosine:peak=3e-4,warmup=200,total=4000,final=0', 'wsd:peak=3e-4,warmup=200,total=4000,decay=0.2,final=3e-5'].map((spec, r) => {
    const profile = scheduleProfile(parseSchedule(spec), 4000);
    const steps = Array.from({ length: 120 }, (_, i) => 300 + i * 30);
    const loss = mplLossAt(TRUE, profile, steps, 'paper');
    const y = Array.from(loss, (l, i) => l * (1 + 0.002 * Math.sin(7.3 * i + r)));
    return { changes: compileChanges(profile, steps, { tolerance: 0.2, skipBefore: firstCountedChange(profile, 'paper') }), y, weight: 1 };
  });
  return buildPoints(runs, PEAK);
}

describe('the MPL descent', () => {
  const pts = points();
  const free = [true, true, true, true, true, true, true];
  const start = toTheta({ ...TRUE, alpha: 0.3, C: 0.5, beta: 1, gamma: 0.3 }, PEAK);

  it('ends with the linear part (L0, A′, B′) at its profiled optimum, whatever the solves started from', () => {
    const end = descend(pts, start, HUBER_DELTA, free, 200);
    // the linear part solved afresh (no start) at the descent's nonlinear parameters
    const n = pts.y.length;
    const unit = Array.from({ length: 7 }, () => new Float64Array(n));
    const drop = new Float64Array(n);
    predict(pts, [0, 0, end.theta[THETA.alpha], 1, end.theta[THETA.logC], end.theta[THETA.beta], end.theta[THETA.gamma]], new Float64Array(n), unit, drop);
    const fresh = solveLinearPart({ logS1: pts.logSigma, s2: drop, y: pts.y, logY: pts.logY, weight: pts.weight }, unit[THETA.A], { fixC: false, delta: HUBER_DELTA });
    expect(end.objective).toBeLessThanOrEqual(fresh.objective * (1 + 1e-9));
    expect(end.theta[THETA.L0]).toBeCloseTo(fresh.L0, 6);
    expect(end.theta[THETA.A] / fresh.A).toBeCloseTo(1, 6);
    expect(end.theta[THETA.B] / fresh.C).toBeCloseTo(1, 6);
  });

  it('a looser convergence (as bootstrap refits use) stops sooner at nearly the same optimum', () => {
    const tight = descend(pts, start, HUBER_DELTA, free, 200);
    const loose = descend(pts, start, HUBER_DELTA, free, 200, undefined, { converged: 1e-6, linear: 1e-10 });
    expect(loose.iterations).toBeLessThanOrEqual(tight.iterations);
    expect(loose.objective).toBeLessThanOrEqual(tight.objective * (1 + 1e-4));
    // their predictions at the points agree far inside any interval
    const n = pts.y.length;
    const [a, b] = [loose, tight].map((d) => {
      const out = new Float64Array(n);
      predict(pts, d.theta, out);
      return out;
    });
    for (let i = 0; i < n; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-3);
  });
});
