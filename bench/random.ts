/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * Creates a seeded generator (mulberry32, 32-bit state), so two runs with the
 * same seed draw the same sequence of sessions. Not for anything secret.
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Draws an index in [0, size) with equal probability. */
export function uniformIndex(random: Random, size: number): number {
  return Math.min(size - 1, Math.floor(random() * size));
}

/**
 * Samples ranks 0..size-1 from a Zipf distribution with exponent `exponent`:
 * rank k is drawn with probability proportional to 1 / (k + 1)^exponent.
 * It precomputes the cumulative distribution (8 bytes per rank) and draws by
 * binary search, so each draw costs O(log size).
 */
export function createZipfSampler(size: number, exponent: number, random: Random): () => number {
  const cumulative = new Float64Array(size);
  let total = 0;

  for (let rank = 0; rank < size; rank += 1) {
    total += 1 / Math.pow(rank + 1, exponent);
    cumulative[rank] = total;
  }

  return () => {
    const target = random() * total;
    let low = 0;
    let high = size - 1;

    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((cumulative[middle] ?? total) < target) low = middle + 1;
      else high = middle;
    }

    return low;
  };
}
