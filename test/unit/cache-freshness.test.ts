import type { AdapterUser } from "@auth/core/adapters";
import { describe, expect, it, vi } from "vitest";
import { SessionCache, resolveCacheOptions, type CacheEvent, type CacheOptions, type SessionAndUser } from "../../src/cache/index.js";
import { classifyRead, planRead } from "../../src/cache/read-plan.js";
import type { CacheRecord } from "../../src/cache/record.js";
import { FakeClock, deferred, fakeClockStart } from "../support/cache-fakes.js";

const start = fakeClockStart;
const day = 24 * 60 * 60 * 1000;

function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function sessionAndUser(token: string, userId: string, expires: number, name = "Ada"): SessionAndUser {
  const user: AdapterUser = { id: userId, email: `${userId}@example.com`, emailVerified: null, name };
  return { session: { sessionToken: token, userId, expires: new Date(expires) }, user };
}

/** Cache over an in-memory store whose loader, like the adapter's, drops expired sessions. */
function setup(options: CacheOptions = {}) {
  const clock = new FakeClock();
  const sessions = new Map<string, SessionAndUser>();
  const events: CacheEvent[] = [];

  const loaders = {
    loadSessionAndUser: vi.fn(async (token: string) => {
      const found = sessions.get(token);
      return found !== undefined && found.session.expires.getTime() > clock.now() ? found : null;
    }),
    loadUser: vi.fn(async (userId: string): Promise<AdapterUser | null> => {
      for (const entry of sessions.values()) if (entry.user.id === userId) return entry.user;
      return null;
    }),
  };

  const resolved = resolveCacheOptions(options);
  if (resolved === false) throw new Error("cache turned off");

  const cache = new SessionCache(resolved, loaders, clock, (event) => events.push(event));
  return { cache, clock, sessions, loaders, events };
}

describe("SessionCache TTL", () => {
  it("serves at ttl - 1 and reloads at ttl", async () => {
    const { cache, clock, sessions, loaders } = setup({ ttl: 5_000 });
    sessions.set("t1", sessionAndUser("t1", "u1", start + day));

    await cache.getSessionAndUser("t1");
    sessions.set("t1", sessionAndUser("t1", "u1", start + day, "Grace"));

    clock.advance(4_999);
    const served = await cache.getSessionAndUser("t1");
    expect(served?.user.name).toBe("Ada");
    expect(loaders.loadSessionAndUser).toHaveBeenCalledTimes(1);

    clock.advance(1);
    const reloaded = await cache.getSessionAndUser("t1");
    expect(reloaded?.user.name).toBe("Grace");
    expect(loaders.loadSessionAndUser).toHaveBeenCalledTimes(2);
  });

  it("caches users with the same TTL", async () => {
    const { cache, clock, sessions, loaders } = setup({ ttl: 1_000 });
    sessions.set("t1", sessionAndUser("t1", "u1", start + day));

    expect((await cache.getUser("u1"))?.email).toBe("u1@example.com");
    clock.advance(999);
    await cache.getUser("u1");
    expect(loaders.loadUser).toHaveBeenCalledTimes(1);

    clock.advance(1);
    await cache.getUser("u1");
    expect(loaders.loadUser).toHaveBeenCalledTimes(2);
  });

  it("does not cache null results", async () => {
    const { cache, loaders } = setup();

    expect(await cache.getSessionAndUser("missing")).toBeNull();
    expect(await cache.getSessionAndUser("missing")).toBeNull();
    expect(await cache.getUser("nobody")).toBeNull();
    expect(await cache.getUser("nobody")).toBeNull();

    expect(loaders.loadSessionAndUser).toHaveBeenCalledTimes(2);
    expect(loaders.loadUser).toHaveBeenCalledTimes(2);
    expect(cache.size).toBe(0);
  });
});

describe("SessionCache session expiry", () => {
  it("serves until expires, reloads at expires", async () => {
    const { cache, clock, sessions, loaders } = setup({ ttl: 30_000 });
    sessions.set("t1", sessionAndUser("t1", "u1", start + 300));

    await cache.getSessionAndUser("t1");

    clock.advance(299);
    expect(await cache.getSessionAndUser("t1")).not.toBeNull();
    expect(loaders.loadSessionAndUser).toHaveBeenCalledTimes(1);

    clock.advance(1);
    expect(await cache.getSessionAndUser("t1")).toBeNull();
    expect(loaders.loadSessionAndUser).toHaveBeenCalledTimes(2);
  });

  it("returns an extension from another process", async () => {
    const { cache, clock, sessions, loaders } = setup({ ttl: 30_000, staleWhileRevalidate: 60_000, staleIfError: 60_000 });
    sessions.set("t1", sessionAndUser("t1", "u1", start + 300));
    await cache.getSessionAndUser("t1");

    sessions.set("t1", sessionAndUser("t1", "u1", start + 30 * day));
    clock.advance(300);
    const result = await cache.getSessionAndUser("t1");

    expect(result?.session.expires.getTime()).toBe(start + 30 * day);
    expect(loaders.loadSessionAndUser).toHaveBeenCalledTimes(2);
  });

  it("rejects at expires despite staleIfError", async () => {
    const { cache, clock, sessions, loaders } = setup({ ttl: 30_000, staleIfError: 60_000 });
    sessions.set("t1", sessionAndUser("t1", "u1", start + 300));
    await cache.getSessionAndUser("t1");

    const failure = new Error("DynamoDB unavailable");
    loaders.loadSessionAndUser.mockRejectedValueOnce(failure);
    clock.advance(300);

    await expect(cache.getSessionAndUser("t1")).rejects.toBe(failure);
  });

  it("skips sessions expiring within 1 ms", async () => {
    const { cache, clock, loaders } = setup();
    loaders.loadSessionAndUser.mockImplementation(async () => sessionAndUser("t1", "u1", clock.now() + 1));

    expect(await cache.getSessionAndUser("t1")).not.toBeNull();
    expect(cache.size).toBe(1);

    loaders.loadSessionAndUser.mockImplementation(async () => sessionAndUser("t1", "u1", clock.now() + 0.5));
    clock.advance(1);
    await cache.getSessionAndUser("t1");

    expect(cache.size).toBe(0);
  });

  it("returns null for loaded expired session", async () => {
    const { cache, clock, loaders } = setup();
    loaders.loadSessionAndUser.mockImplementation(async () => sessionAndUser("t1", "u1", clock.now() - 1));

    expect(await cache.getSessionAndUser("t1")).toBeNull();
    expect(cache.size).toBe(0);
  });
});

describe("SessionCache staleWhileRevalidate", () => {
  it("serves stale once and refreshes once in the background", async () => {
    const { cache, clock, sessions, loaders, events } = setup({ ttl: 1_000, staleWhileRevalidate: 500 });
    sessions.set("t1", sessionAndUser("t1", "u1", start + day));
    await cache.getSessionAndUser("t1");

    const refresh = deferred<SessionAndUser | null>();
    loaders.loadSessionAndUser.mockImplementationOnce(() => refresh.promise);
    clock.advance(1_000);

    const first = await cache.getSessionAndUser("t1");
    const second = await cache.getSessionAndUser("t1");
    expect(first?.user.name).toBe("Ada");
    expect(second?.user.name).toBe("Ada");
    expect(loaders.loadSessionAndUser).toHaveBeenCalledTimes(2);

    refresh.resolve(sessionAndUser("t1", "u1", start + day, "Grace"));
    await flush();

    const refreshed = await cache.getSessionAndUser("t1");
    expect(refreshed?.user.name).toBe("Grace");
    expect(loaders.loadSessionAndUser).toHaveBeenCalledTimes(2);
    expect(events.map((event) => event.type)).toEqual(["miss", "stale", "stale", "hit"]);
  });

  it("waits for the loader past ttl + staleWhileRevalidate", async () => {
    const { cache, clock, sessions, loaders } = setup({ ttl: 1_000, staleWhileRevalidate: 500 });
    sessions.set("t1", sessionAndUser("t1", "u1", start + day));
    await cache.getSessionAndUser("t1");

    sessions.set("t1", sessionAndUser("t1", "u1", start + day, "Grace"));
    clock.advance(1_500);

    expect((await cache.getSessionAndUser("t1"))?.user.name).toBe("Grace");
    expect(loaders.loadSessionAndUser).toHaveBeenCalledTimes(2);
  });

  it("never serves a stale session at its expires", async () => {
    const { cache, clock, sessions, loaders } = setup({ ttl: 1_000, staleWhileRevalidate: 60_000 });
    sessions.set("t1", sessionAndUser("t1", "u1", start + 1_200));
    await cache.getSessionAndUser("t1");

    clock.advance(1_100);
    expect(await cache.getSessionAndUser("t1")).not.toBeNull();
    await flush();

    clock.advance(100);
    expect(await cache.getSessionAndUser("t1")).toBeNull();
    expect(loaders.loadSessionAndUser).toHaveBeenCalledTimes(3);
  });

  it("drops stale copy on null refresh", async () => {
    const { cache, clock, sessions, loaders } = setup({ ttl: 1_000, staleWhileRevalidate: 500 });
    sessions.set("t1", sessionAndUser("t1", "u1", start + day));
    await cache.getSessionAndUser("t1");

    sessions.delete("t1");
    clock.advance(1_000);
    expect(await cache.getSessionAndUser("t1")).not.toBeNull();
    await flush();

    expect(await cache.getSessionAndUser("t1")).toBeNull();
    expect(loaders.loadSessionAndUser).toHaveBeenCalledTimes(3);
  });

  it("drops stale copy on refresh failure", async () => {
    const { cache, clock, sessions, loaders, events } = setup({ ttl: 1_000, staleWhileRevalidate: 500 });
    sessions.set("t1", sessionAndUser("t1", "u1", start + day));
    await cache.getSessionAndUser("t1");

    loaders.loadSessionAndUser.mockRejectedValueOnce(new Error("throttled"));
    clock.advance(1_000);
    expect(await cache.getSessionAndUser("t1")).not.toBeNull();
    await flush();

    expect(events.map((event) => event.type)).toContain("refresh-error");
    expect(cache.size).toBe(0);
    expect(await cache.getSessionAndUser("t1")).not.toBeNull();
    expect(loaders.loadSessionAndUser).toHaveBeenCalledTimes(3);
  });
});

describe("SessionCache staleIfError", () => {
  it("propagates a refresh error when off", async () => {
    const { cache, clock, sessions, loaders } = setup({ ttl: 1_000 });
    sessions.set("t1", sessionAndUser("t1", "u1", start + day));
    await cache.getSessionAndUser("t1");

    const failure = new Error("DynamoDB unavailable");
    loaders.loadSessionAndUser.mockRejectedValueOnce(failure);
    clock.advance(1_000);

    await expect(cache.getSessionAndUser("t1")).rejects.toBe(failure);
    expect(await cache.getSessionAndUser("t1")).not.toBeNull();
    expect(loaders.loadSessionAndUser).toHaveBeenCalledTimes(3);
  });

  it("propagates a first-load error when on", async () => {
    const { cache, loaders } = setup({ staleIfError: 60_000 });
    const failure = new Error("DynamoDB unavailable");
    loaders.loadSessionAndUser.mockRejectedValueOnce(failure);

    await expect(cache.getSessionAndUser("t1")).rejects.toBe(failure);
  });

  it("serves stale within window, then rejects", async () => {
    const { cache, clock, sessions, loaders, events } = setup({ ttl: 1_000, staleIfError: 2_000 });
    sessions.set("t1", sessionAndUser("t1", "u1", start + day));
    await cache.getSessionAndUser("t1");

    const failure = new Error("DynamoDB unavailable");
    loaders.loadSessionAndUser.mockRejectedValue(failure);

    clock.advance(1_000);
    expect((await cache.getSessionAndUser("t1"))?.user.name).toBe("Ada");

    clock.advance(1_999);
    expect((await cache.getSessionAndUser("t1"))?.user.name).toBe("Ada");

    clock.advance(1);
    await expect(cache.getSessionAndUser("t1")).rejects.toBe(failure);
    expect(loaders.loadSessionAndUser).toHaveBeenCalledTimes(4);
    expect(events.map((event) => event.type)).toEqual([
      "miss",
      "expire",
      "refresh-error",
      "stale",
      "expire",
      "refresh-error",
      "stale",
      "expire",
      "refresh-error",
      "miss",
    ]);
  });
});

describe("planRead", () => {
  const options = { ttl: 1_000, max: 10, maxSize: 10_000, staleWhileRevalidate: 500, staleIfError: 2_000 };
  const record: CacheRecord = { entity: "user", value: null, expiresAt: start + 10_000, size: 1, storable: true };

  it("plans a load without a cached record", () => {
    expect(planRead(undefined, 0, start, options)).toEqual({ kind: "load", expired: false, staleIfError: false });
  });

  it("plans fresh while TTL remains", () => {
    expect(planRead(record, 1, start, options)).toEqual({ kind: "fresh" });
  });

  it("plans revalidate from ttl up to the window end", () => {
    expect(planRead(record, 0, start, options)).toEqual({ kind: "revalidate", staleIfError: true });
    expect(planRead(record, -499, start, options)).toEqual({ kind: "revalidate", staleIfError: true });
    expect(planRead(record, -500, start, options)).toEqual({ kind: "load", expired: true, staleIfError: true });
  });

  it("ends staleIfError at its window", () => {
    expect(planRead(record, -1_999, start, options)).toEqual({ kind: "load", expired: true, staleIfError: true });
    expect(planRead(record, -2_000, start, options)).toEqual({ kind: "load", expired: true, staleIfError: false });
  });

  it("plans a load at expires whatever the TTL", () => {
    expect(planRead(record, 500, start + 10_000, options)).toEqual({ kind: "load", expired: true, staleIfError: false });
    expect(planRead(record, -1, start + 10_000, options)).toEqual({ kind: "load", expired: true, staleIfError: false });
  });
});

describe("classifyRead", () => {
  const cached: CacheRecord = { entity: "user", value: null, expiresAt: Number.POSITIVE_INFINITY, size: 1, storable: true };
  const loaded: CacheRecord = { ...cached };

  it("names each outcome", () => {
    expect(classifyRead({ kind: "fresh" }, cached, cached, false)).toBe("hit");
    expect(classifyRead({ kind: "revalidate", staleIfError: false }, cached, cached, true)).toBe("stale");
    expect(classifyRead({ kind: "load", expired: true, staleIfError: true }, cached, cached, true)).toBe("stale");
    expect(classifyRead({ kind: "load", expired: false, staleIfError: false }, undefined, loaded, true)).toBe("miss");
    expect(classifyRead({ kind: "load", expired: false, staleIfError: false }, undefined, loaded, false)).toBe("coalesced");
  });
});
