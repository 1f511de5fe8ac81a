/** A small seeded PRNG (mulberry32) so property tests are reproducible: the one the bootstrap uses. */
export { seededRandom as mulberry32 } from '../../src/fit/resample.js';

/** Standard normal draws from a uniform generator (Box–Muller). */
export function gaussian(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}
