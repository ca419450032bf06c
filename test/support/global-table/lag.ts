/**
 * Replication lag of one link, which is the time from when the replicator
 * first reads a change from the origin region's stream to when it writes the
 * change to the target region.
 *
 * - `zero`: delivered in the next poll round.
 * - `fixed`: every change waits `ms` milliseconds.
 * - `random`: each change waits a uniformly drawn time between `minMs` and
 *   `maxMs` milliseconds, so changes can overtake each other. With `seed`, the
 *   sequence of drawn lags repeats from run to run.
 */
export type LagSetting =
  | { readonly mode: "zero" }
  | { readonly mode: "fixed"; readonly ms: number }
  | { readonly mode: "random"; readonly minMs: number; readonly maxMs: number; readonly seed?: number };

/** Draws the lag in milliseconds for the next change on a link. */
export type LagSampler = () => number;

function assertDuration(value: unknown, label: string): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`Expected \`${label}\` to be a finite number of milliseconds >= 0, got ${String(value)}.`);
  }
}

/** Throws a TypeError naming the field when `setting` is not a valid {@link LagSetting}. */
export function validateLagSetting(setting: LagSetting): void {
  switch (setting.mode) {
    case "zero":
      return;
    case "fixed":
      assertDuration(setting.ms, "ms");
      return;
    case "random":
      assertDuration(setting.minMs, "minMs");
      assertDuration(setting.maxMs, "maxMs");

      if (setting.maxMs < setting.minMs) {
        throw new TypeError(`Expected \`maxMs\` (${setting.maxMs}) to be >= \`minMs\` (${setting.minMs}).`);
      }

      if (setting.seed !== undefined && !Number.isInteger(setting.seed)) {
        throw new TypeError(`Expected \`seed\` to be an integer, got ${String(setting.seed)}.`);
      }

      return;
    default:
      throw new TypeError(`Expected lag \`mode\` to be "zero", "fixed" or "random", got ${JSON.stringify((setting as { mode?: unknown }).mode)}.`);
  }
}

/**
 * Returns a pseudo-random generator of numbers in [0, 1) with a 32-bit state
 * (the mulberry32 algorithm). Good enough to spread lags, not for anything
 * that needs statistical quality.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;

    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);

    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Validates `setting` and returns the function that draws each change's lag. */
export function createLagSampler(setting: LagSetting): LagSampler {
  validateLagSetting(setting);

  switch (setting.mode) {
    case "zero":
      return () => 0;
    case "fixed":
      return () => setting.ms;
    case "random": {
      const random = setting.seed === undefined ? Math.random : seededRandom(setting.seed);
      const span = setting.maxMs - setting.minMs;

      return () => setting.minMs + random() * span;
    }
  }
}
