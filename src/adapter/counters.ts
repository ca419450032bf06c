import type { AdapterEvent, EventListener } from "./events.js";

/** Running totals of adapter events since the counters were created or reset. */
export interface AdapterCounts {
  /** Look-ups served from the cache. */
  cacheHits: number;
  /** Look-ups that had to read DynamoDB. */
  cacheMisses: number;
  /** Stale entries served while a refresh ran or after a failed refresh. */
  cacheStale: number;
  /** Look-ups that joined a DynamoDB read already in flight for the same key. */
  cacheCoalesced: number;
  /** Entries dropped to stay within `max` or `maxSize`. */
  cacheEvictions: number;
  /** Reads in another region after a local miss (global mode). */
  fallbackReads: number;
  /** Fallback reads that found a live item. */
  fallbackHits: number;
  /** Retries of transaction conflicts, unprocessed items and replicated write conflicts. */
  retries: number;
  /** DynamoDB requests sent. */
  requests: number;
}

/** Counters fed by the adapter's `onEvent` option. */
export interface EventCounters {
  /** Pass as the adapter's `onEvent`. */
  readonly onEvent: EventListener;
  /** A copy of the current totals. */
  snapshot(): AdapterCounts;
  reset(): void;
}

const zero = (): AdapterCounts => ({ cacheHits: 0, cacheMisses: 0, cacheStale: 0, cacheCoalesced: 0, cacheEvictions: 0, fallbackReads: 0, fallbackHits: 0, retries: 0, requests: 0 });

/**
 * Creates counters for the adapter's events, for a metrics exporter or a
 * periodic log line. Counting costs a few additions per event; tokens are
 * never stored.
 */
export function createEventCounters(): EventCounters {
  let counts = zero();

  const onEvent = (event: AdapterEvent): void => {
    switch (event.type) {
      case "request":
        counts.requests += 1;
        break;
      case "retry":
        counts.retries += 1;
        break;
      case "fallback-read":
        counts.fallbackReads += 1;
        if (event.found) counts.fallbackHits += 1;
        break;
      case "cache":
        if (event.action === "hit") counts.cacheHits += 1;
        else if (event.action === "miss") counts.cacheMisses += 1;
        else if (event.action === "stale") counts.cacheStale += 1;
        else if (event.action === "coalesced") counts.cacheCoalesced += 1;
        else if (event.action === "evict") counts.cacheEvictions += 1;
        break;
    }
  };

  return {
    onEvent,
    snapshot: () => ({ ...counts }),
    reset() {
      counts = zero();
    },
  };
}
