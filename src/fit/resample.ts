/**
 * Bootstrap resamples of a fit's points that respect how training logs are correlated: never
 * single points. With three or more runs, whole runs are drawn with replacement; within every
 * drawn run, contiguous blocks of points are drawn with replacement (a circular-block bootstrap:
 * neighbouring loss points share their errors). A resample is a multiplicity per point, so a
 * law can refit on it without rebuilding anything.
 */

/** A small seeded generator (mulberry32): the same seed gives the same resamples everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How many times each point of each run is in a resample (runs × points). */
export type Resample = Int32Array[];

/**
 * Bootstrap refits use at most this many points (evenly spaced per run, as the fit thins large
 * logs): neighbouring points of a dense log carry the same information, and the block bootstrap
 * resamples stretches of the curve, not single points.
 */
export const MAX_REFIT_POINTS = 1000;

/** Fewest runs for which whole runs are resampled (below it, only blocks within each run). */
export const MIN_RUNS_TO_RESAMPLE = 3;

/**
 * Block length of the block bootstrap for a run of n points: ⌈n/5⌉ (at least 2), five blocks per run.
 * A law's errors on a loss curve are smooth and long-ranged, so short blocks understate them:
 * chosen by leave-one-run-out inside the public train runs (docs/accuracy.md), where ⌈∛n⌉,
 * ⌈√n⌉, ⌈n/10⌉, ⌈n/5⌉ and ⌈n/3⌉ covered 65, 71, 71, 83 and 86 % of the held-out points with the
 * momentum law and 69, 69, 75, 75 % (√n, n/10, n/5, n/3) with the Multi-Power Law; n/5 has the
 * narrower intervals of the two best.
 */
export function blockLength(n: number): number {
  return Math.max(2, Math.ceil(n / 5)); // never single points, even in a short run
}

/**
 * Multiplicities of a circular-block resample of n points: ⌈n/b⌉ blocks of b contiguous points
 * (a block that runs past the last point continues at the first), cut to n. Wrapping gives every
 * point the same chance to be drawn; a moving-block resample (no wrap) draws the first and last
 * points of a run far less often than the middle — with five blocks per run, the start of the
 * curve that pins α down was missing from most resamples (docs/accuracy.md).
 */
export function blockResample(n: number, random: () => number, length = blockLength(n), kind: BlockKind = 'circular'): Int32Array {
  const counts = new Int32Array(n);
  const b = Math.min(length, n);
  const starts = kind === 'circular' ? n : n - b + 1;
  let drawn = 0;
  while (drawn < n) {
    const start = Math.floor(random() * starts);
    for (let k = 0; k < b && drawn < n; k++, drawn++) counts[(start + k) % n]++;
  }
  return counts;
}

/** How blocks are drawn: wrapping around the end of a run (circular), or not (moving). */
export type BlockKind = 'circular' | 'moving';

/**
 * One resample of runs with `sizes[r]` points each: whole runs with replacement when there are
 * at least MIN_RUNS_TO_RESAMPLE runs, and blocks within every drawn run. When some runs are
 * `needed` (e.g. the only runs whose LR anneals), draws without any of them are redrawn, so
 * that every resample can identify what the fit identified.
 */
export function resampleRuns(sizes: readonly number[], random: () => number, needed?: readonly boolean[], blocks: BlockKind = 'circular'): Resample {
  const runs = sizes.length;
  const drawn = new Int32Array(runs);
  const hasNeeded = () => !needed || !needed.some(Boolean) || needed.some((n, r) => n && drawn[r] > 0);
  if (runs >= MIN_RUNS_TO_RESAMPLE) {
    do {
      drawn.fill(0);
      for (let k = 0; k < runs; k++) drawn[Math.floor(random() * runs)]++;
    } while (!hasNeeded());
  } else drawn.fill(1);
  return sizes.map((n, r) => {
    const counts = new Int32Array(n);
    for (let copy = 0; copy < drawn[r]; copy++) {
      const block = blockResample(n, random, blockLength(n), blocks);
      for (let i = 0; i < n; i++) counts[i] += block[i];
    }
    return counts;
  });
}

/** `samples` resamples from one seed (see resampleRuns for `needed`). */
export function resamples(sizes: readonly number[], samples: number, seed: number, needed?: readonly boolean[], blocks: BlockKind = 'circular'): Resample[] {
  const random = seededRandom(seed);
  return Array.from({ length: samples }, () => resampleRuns(sizes, random, needed, blocks));
}
