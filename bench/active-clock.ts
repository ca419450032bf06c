import type { Clock } from "../src/index.js";

/** A clock that advances only while the scenario that owns it is running. */
export interface ActiveClock extends Clock {
  /** Runs `work` with the clock advancing, and stops it again afterwards. */
  during<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * Builds a clock for a cached scenario. Scenarios take turns, so between two
 * of its slices a scenario sits idle while the others run. With the wall
 * clock, the cache's TTL would run out during those idle gaps and every slice
 * would start cold, which never happens to a steadily served app. This clock counts
 * only the time the scenario itself spends looking sessions up, starting
 * from the wall-clock time it was built, so session expiry still works.
 */
export function createActiveClock(): ActiveClock {
  const start = Date.now();
  let elapsed = 0;
  let runningSince: number | undefined;

  return {
    now: () => start + elapsed + (runningSince === undefined ? 0 : performance.now() - runningSince),
    async during(work) {
      runningSince = performance.now();
      try {
        return await work();
      } finally {
        elapsed += performance.now() - runningSince;
        runningSince = undefined;
      }
    },
  };
}
