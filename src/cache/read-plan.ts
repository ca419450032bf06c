import type { ResolvedCacheOptions } from "./options.js";
import type { CacheRecord } from "./record.js";

/**
 * How one read uses the cached record:
 * - `fresh`: return it.
 * - `revalidate`: return it although it is past its TTL, and reload it in the
 *   background (stale-while-revalidate).
 * - `load`: wait for the loader. `expired` is true when a cached record
 *   was too old to serve.
 *
 * `staleIfError` is true when a failed reload may return the cached record.
 */
export type ReadPlan =
  | { readonly kind: "fresh" }
  | { readonly kind: "revalidate"; readonly staleIfError: boolean }
  | { readonly kind: "load"; readonly expired: boolean; readonly staleIfError: boolean };

/**
 * Decides how a read at `now` uses the cached record. `remainingTtl` is
 * lru-cache's `getRemainingTTL` for the key: the milliseconds left before the
 * record becomes stale, negative once it is. A record is fresh while
 * `remainingTtl > 0`, so it is reloaded at exactly `ttl`. A session record is
 * never served at or past its `expires`, fresh or stale, because the copy may
 * be older than an extension that another process wrote.
 */
export function planRead(cached: CacheRecord | undefined, remainingTtl: number, now: number, options: ResolvedCacheOptions): ReadPlan {
  if (cached === undefined) return { kind: "load", expired: false, staleIfError: false };

  const beforeExpires = now < cached.expiresAt;
  if (beforeExpires && remainingTtl > 0) return { kind: "fresh" };

  const staleFor = -remainingTtl;
  const staleIfError = beforeExpires && staleFor < options.staleIfError;

  if (beforeExpires && staleFor < options.staleWhileRevalidate) return { kind: "revalidate", staleIfError };

  return { kind: "load", expired: true, staleIfError };
}

/** The event that a finished read reports. */
export type ReadOutcome = "hit" | "stale" | "miss" | "coalesced";

/**
 * Names the outcome of a read from its plan, the record it was planned on,
 * the record it returned, and whether this read called the loader.
 */
export function classifyRead(plan: ReadPlan, cached: CacheRecord | undefined, returned: CacheRecord | undefined, calledLoader: boolean): ReadOutcome {
  if (cached !== undefined && returned === cached) return plan.kind === "fresh" ? "hit" : "stale";

  return calledLoader ? "miss" : "coalesced";
}
