import { describe, expect, it } from "vitest";
import { createEventCounters } from "../../src/index.js";

describe("event counters", () => {
  it("counts each kind of event", () => {
    const counters = createEventCounters();

    counters.onEvent({ type: "request", region: "local", command: "GetCommand" });
    counters.onEvent({ type: "request", region: "local", command: "GetCommand" });
    counters.onEvent({ type: "retry", operation: "createUser", attempt: 1, reason: "TransactionCanceledException" });
    counters.onEvent({ type: "fallback-read", entity: "session", region: "us-east-1", found: true });
    counters.onEvent({ type: "fallback-read", entity: "session", region: "eu-west-1", found: false });
    for (const action of ["hit", "hit", "hit", "miss", "stale", "coalesced", "evict", "expire"] as const) counters.onEvent({ type: "cache", action, entity: "session", key: "abc123" });

    expect(counters.snapshot()).toEqual({ cacheHits: 3, cacheMisses: 1, cacheStale: 1, cacheCoalesced: 1, cacheEvictions: 1, fallbackReads: 2, fallbackHits: 1, retries: 1, requests: 2 });
  });

  it("reset starts from zero", () => {
    const counters = createEventCounters();
    counters.onEvent({ type: "request", region: "local", command: "GetCommand" });
    const before = counters.snapshot();

    counters.reset();
    expect(counters.snapshot().requests).toBe(0);
    expect(before.requests).toBe(1);
  });
});
