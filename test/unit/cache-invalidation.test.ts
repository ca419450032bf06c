import { createHash } from "node:crypto";
import type { AdapterUser } from "@auth/core/adapters";
import { describe, expect, it, vi } from "vitest";
import { SessionCache, digestSessionToken, resolveCacheOptions, type CacheEvent, type CacheOptions, type SessionAndUser } from "../../src/cache/index.js";
import { FakeClock, deferred, fakeClockStart } from "../support/cache-fakes.js";

const start = fakeClockStart;
const day = 24 * 60 * 60 * 1000;

function sessionAndUser(token: string, userId: string, name = "Ada"): SessionAndUser {
  const user: AdapterUser = { id: userId, email: `${userId}@example.com`, emailVerified: new Date(start - day), name };
  return { session: { sessionToken: token, userId, expires: new Date(start + day) }, user };
}

/** Cache over an in-memory store. The loaders return the stored objects themselves, so the cache must copy them. */
function setup(options: CacheOptions = {}) {
  const clock = new FakeClock();
  const sessions = new Map<string, SessionAndUser>();
  const users = new Map<string, AdapterUser>();
  const events: CacheEvent[] = [];

  const loaders = {
    loadSessionAndUser: vi.fn(async (token: string) => sessions.get(token) ?? null),
    loadUser: vi.fn(async (userId: string) => users.get(userId) ?? null),
  };

  const resolved = resolveCacheOptions(options);
  if (resolved === false) throw new Error("cache turned off");

  const cache = new SessionCache(resolved, loaders, clock, (event) => events.push(event));
  return { cache, clock, sessions, users, loaders, events };
}

/** A session whose user has nested fields beyond the Auth.js ones. */
interface ProfileSession extends SessionAndUser {
  user: AdapterUser & { profile: { address: { city: string } }; roles: string[] };
}

function callsFor(mock: { mock: { calls: unknown[][] } }, id: string): number {
  return mock.mock.calls.filter(([argument]) => argument === id).length;
}

describe("SessionCache coalescing", () => {
  it("answers concurrent misses with one loader call", async () => {
    const { cache, loaders, events } = setup();
    const load = deferred<SessionAndUser | null>();
    loaders.loadSessionAndUser.mockImplementationOnce(() => load.promise);

    const reads = Array.from({ length: 10 }, () => cache.getSessionAndUser("t1"));
    load.resolve(sessionAndUser("t1", "u1"));
    const results = await Promise.all(reads);

    expect(loaders.loadSessionAndUser).toHaveBeenCalledTimes(1);
    for (const result of results) expect(result?.user.id).toBe("u1");
    expect(new Set(results).size).toBe(10);
    expect(events.filter((event) => event.type === "miss")).toHaveLength(1);
    expect(events.filter((event) => event.type === "coalesced")).toHaveLength(9);
  });

  it("rejects all waiters on load failure", async () => {
    const { cache, loaders } = setup();
    const failure = new Error("DynamoDB unavailable");
    loaders.loadSessionAndUser.mockRejectedValueOnce(failure);

    const reads = [cache.getSessionAndUser("t1"), cache.getSessionAndUser("t1")];

    for (const read of reads) await expect(read).rejects.toBe(failure);
    expect(loaders.loadSessionAndUser).toHaveBeenCalledTimes(1);
  });
});

describe("SessionCache deleteSession", () => {
  it("makes the next read call the loader", async () => {
    const { cache, sessions, loaders } = setup();
    sessions.set("t1", sessionAndUser("t1", "u1"));
    await cache.getSessionAndUser("t1");

    cache.deleteSession("t1");
    sessions.delete("t1");

    expect(await cache.getSessionAndUser("t1")).toBeNull();
    expect(loaders.loadSessionAndUser).toHaveBeenCalledTimes(2);
  });

  it("discards an in-flight load", async () => {
    const { cache, sessions, loaders } = setup();
    const load = deferred<SessionAndUser | null>();
    loaders.loadSessionAndUser.mockImplementationOnce(() => load.promise);

    const pending = cache.getSessionAndUser("t1");
    cache.deleteSession("t1");
    load.resolve(sessionAndUser("t1", "u1", "Old"));

    expect((await pending)?.user.name).toBe("Old");
    expect(cache.size).toBe(0);

    sessions.set("t1", sessionAndUser("t1", "u1", "New"));
    expect((await cache.getSessionAndUser("t1"))?.user.name).toBe("New");
    expect(loaders.loadSessionAndUser).toHaveBeenCalledTimes(2);
  });

  it("discards an in-flight refresh", async () => {
    const { cache, clock, sessions, loaders } = setup({ ttl: 1_000, staleWhileRevalidate: 1_000 });
    sessions.set("t1", sessionAndUser("t1", "u1"));
    await cache.getSessionAndUser("t1");

    const refresh = deferred<SessionAndUser | null>();
    loaders.loadSessionAndUser.mockImplementationOnce(() => refresh.promise);
    clock.advance(1_000);
    await cache.getSessionAndUser("t1");

    cache.deleteSession("t1");
    refresh.resolve(sessionAndUser("t1", "u1", "Old"));
    await refresh.promise;
    sessions.delete("t1");

    expect(await cache.getSessionAndUser("t1")).toBeNull();
    expect(loaders.loadSessionAndUser).toHaveBeenCalledTimes(3);
  });
});

describe("SessionCache deleteUser", () => {
  it("drops only that user's entries", async () => {
    const { cache, sessions, users, loaders } = setup();
    sessions.set("a1", sessionAndUser("a1", "userA"));
    sessions.set("a2", sessionAndUser("a2", "userA"));
    sessions.set("b1", sessionAndUser("b1", "userB"));
    users.set("userA", sessionAndUser("-", "userA").user);
    users.set("userB", sessionAndUser("-", "userB").user);
    for (const token of ["a1", "a2", "b1"]) await cache.getSessionAndUser(token);
    for (const userId of ["userA", "userB"]) await cache.getUser(userId);

    cache.deleteUser("userA");
    for (const token of ["a1", "a2", "b1"]) await cache.getSessionAndUser(token);
    for (const userId of ["userA", "userB"]) await cache.getUser(userId);

    expect(callsFor(loaders.loadSessionAndUser, "a1")).toBe(2);
    expect(callsFor(loaders.loadSessionAndUser, "a2")).toBe(2);
    expect(callsFor(loaders.loadSessionAndUser, "b1")).toBe(1);
    expect(callsFor(loaders.loadUser, "userA")).toBe(2);
    expect(callsFor(loaders.loadUser, "userB")).toBe(1);
  });

  it("finds sessions after a reload", async () => {
    const { cache, clock, sessions, loaders } = setup({ ttl: 1_000 });
    sessions.set("a1", sessionAndUser("a1", "userA"));
    await cache.getSessionAndUser("a1");
    clock.advance(1_000);
    await cache.getSessionAndUser("a1");

    cache.deleteUser("userA");
    await cache.getSessionAndUser("a1");

    expect(loaders.loadSessionAndUser).toHaveBeenCalledTimes(3);
  });

  it("discards in-flight loads of that user", async () => {
    const { cache, sessions, loaders } = setup();
    const load = deferred<SessionAndUser | null>();
    loaders.loadSessionAndUser.mockImplementationOnce(() => load.promise);

    const pending = cache.getSessionAndUser("a1");
    cache.deleteUser("userA");
    load.resolve(sessionAndUser("a1", "userA", "Old"));
    await pending;

    sessions.set("a1", sessionAndUser("a1", "userA", "New"));
    expect((await cache.getSessionAndUser("a1"))?.user.name).toBe("New");
    expect(loaders.loadSessionAndUser).toHaveBeenCalledTimes(2);
  });
});

describe("SessionCache clear", () => {
  it("drops every entry", async () => {
    const { cache, sessions, users, loaders } = setup();
    sessions.set("t1", sessionAndUser("t1", "u1"));
    users.set("u1", sessionAndUser("-", "u1").user);
    await cache.getSessionAndUser("t1");
    await cache.getUser("u1");

    cache.clear();

    expect(cache.size).toBe(0);
    expect(cache.calculatedSize).toBe(0);
    await cache.getSessionAndUser("t1");
    await cache.getUser("u1");
    expect(loaders.loadSessionAndUser).toHaveBeenCalledTimes(2);
    expect(loaders.loadUser).toHaveBeenCalledTimes(2);
  });
});

describe("SessionCache copy-on-read", () => {
  it("isolates cache from caller mutations", async () => {
    const { cache, sessions } = setup();
    const stored = sessionAndUser("t1", "u1");
    Object.assign(stored.user, { profile: { address: { city: "London" } }, roles: ["admin"] });
    sessions.set("t1", stored);

    const first = (await cache.getSessionAndUser("t1")) as ProfileSession | null;
    if (first === null) throw new Error("session not found");
    first.session.expires.setTime(0);
    first.user.name = "Mallory";
    first.user.profile.address.city = "Paris";
    first.user.roles.push("root");

    const second = (await cache.getSessionAndUser("t1")) as ProfileSession | null;
    expect(second?.session.expires).toBeInstanceOf(Date);
    expect(second?.session.expires.getTime()).toBe(start + day);
    expect(second?.user.name).toBe("Ada");
    expect(second?.user.profile).toEqual({ address: { city: "London" } });
    expect(second?.user.roles).toEqual(["admin"]);
    expect(second?.user.emailVerified).toBeInstanceOf(Date);
  });

  it("isolates cache from loader objects", async () => {
    const { cache, users } = setup();
    const stored = sessionAndUser("-", "u1").user;
    users.set("u1", stored);
    await cache.getUser("u1");

    stored.name = "Mallory";

    expect((await cache.getUser("u1"))?.name).toBe("Ada");
  });

  it("returns a new object on every hit", async () => {
    const { cache, users } = setup();
    users.set("u1", sessionAndUser("-", "u1").user);

    const first = await cache.getUser("u1");
    const second = await cache.getUser("u1");

    expect(second).toEqual(first);
    expect(second).not.toBe(first);
  });
});

describe("SessionCache size bound", () => {
  it("evicts LRU sessions within maxSize", async () => {
    const maxSize = 8 * 1024;
    const { cache, sessions, loaders, events } = setup({ maxSize });

    for (let index = 0; index < 100; index++) {
      const token = `token-${index}`;
      sessions.set(token, sessionAndUser(token, `user-${index}`));
      await cache.getSessionAndUser(token);
      expect(cache.calculatedSize).toBeLessThanOrEqual(maxSize);
    }

    expect(cache.size).toBeGreaterThan(0);
    expect(cache.size).toBeLessThan(100);
    expect(events.filter((event) => event.type === "evict")).toHaveLength(100 - cache.size);

    await cache.getSessionAndUser("token-0");
    expect(callsFor(loaders.loadSessionAndUser, "token-0")).toBe(2);
    await cache.getSessionAndUser("token-99");
    expect(callsFor(loaders.loadSessionAndUser, "token-99")).toBe(1);
  });

  it("stays within max entries", async () => {
    const { cache, users } = setup({ max: 3 });

    for (let index = 0; index < 10; index++) {
      users.set(`u${index}`, sessionAndUser("-", `u${index}`).user);
      await cache.getUser(`u${index}`);
      expect(cache.size).toBeLessThanOrEqual(3);
    }
  });

  it("returns an entry larger than maxSize without storing it", async () => {
    const { cache, sessions, loaders } = setup({ maxSize: 1_024 });
    const large = sessionAndUser("t1", "u1", "x".repeat(2_000));
    sessions.set("t1", large);

    expect((await cache.getSessionAndUser("t1"))?.user.name).toHaveLength(2_000);
    expect(cache.size).toBe(0);
    expect(cache.calculatedSize).toBe(0);

    await cache.getSessionAndUser("t1");
    expect(loaders.loadSessionAndUser).toHaveBeenCalledTimes(2);
  });

  it("forgets evicted sessions in the user index", async () => {
    const { cache, sessions, loaders } = setup({ max: 1 });
    sessions.set("a1", sessionAndUser("a1", "userA"));
    sessions.set("b1", sessionAndUser("b1", "userB"));
    await cache.getSessionAndUser("a1");
    await cache.getSessionAndUser("b1");

    cache.deleteUser("userA");
    await cache.getSessionAndUser("b1");

    expect(callsFor(loaders.loadSessionAndUser, "b1")).toBe(1);
  });
});

describe("SessionCache events", () => {
  it("never contains a raw session token", async () => {
    const token = "secret-session-token-0123456789";
    const { cache, clock, sessions, loaders, events } = setup({ ttl: 1_000, max: 1, staleIfError: 1_000 });
    sessions.set(token, sessionAndUser(token, "u1"));

    await Promise.all([cache.getSessionAndUser(token), cache.getSessionAndUser(token)]);
    await cache.getSessionAndUser(token);
    clock.advance(1_000);
    loaders.loadSessionAndUser.mockRejectedValueOnce(new Error("throttled"));
    await cache.getSessionAndUser(token);
    sessions.set("other", sessionAndUser("other", "u2"));
    await cache.getSessionAndUser("other");

    const types = new Set(events.map((event) => event.type));
    expect(types).toEqual(new Set(["miss", "coalesced", "hit", "expire", "refresh-error", "stale", "evict"]));
    expect(JSON.stringify(events)).not.toContain(token);

    const expectedKey = createHash("sha256").update(token).digest("hex").slice(0, 12);
    const sessionEvents = events.filter((event) => event.entity === "session" && event.key !== digestSessionToken("other"));
    expect(sessionEvents.length).toBeGreaterThan(6);
    for (const event of sessionEvents) expect(event.key).toBe(expectedKey);
  });

  it("shows user ids unchanged", async () => {
    const { cache, users, events } = setup();
    users.set("u1", sessionAndUser("-", "u1").user);

    await cache.getUser("u1");
    await cache.getUser("u1");

    expect(events).toEqual([
      { type: "miss", entity: "user", key: "u1" },
      { type: "hit", entity: "user", key: "u1" },
    ]);
  });

  it("ignores errors thrown by the listener", async () => {
    const { sessions, loaders } = setup({ max: 1 });
    sessions.set("t1", sessionAndUser("t1", "u1"));
    sessions.set("t2", sessionAndUser("t2", "u2"));
    const resolved = resolveCacheOptions({ max: 1 });
    if (resolved === false) throw new Error("cache turned off");
    const listener = vi.fn((_event: CacheEvent) => {
      throw new Error("listener failed");
    });
    const cache = new SessionCache(resolved, loaders, new FakeClock(), listener);

    expect((await cache.getSessionAndUser("t1"))?.user.id).toBe("u1");
    expect((await cache.getSessionAndUser("t2"))?.user.id).toBe("u2");
    expect((await cache.getSessionAndUser("t2"))?.user.id).toBe("u2");

    expect(listener.mock.calls.map(([event]) => event.type)).toEqual(["miss", "evict", "miss", "hit"]);
    expect(cache.size).toBe(1);
  });

  it("works without a listener", async () => {
    const { sessions, loaders } = setup();
    sessions.set("t1", sessionAndUser("t1", "u1"));
    const resolved = resolveCacheOptions({});
    if (resolved === false) throw new Error("cache turned off");
    const cache = new SessionCache(resolved, loaders, new FakeClock());

    await cache.getSessionAndUser("t1");
    expect((await cache.getSessionAndUser("t1"))?.session.sessionToken).toBe("t1");
    expect(loaders.loadSessionAndUser).toHaveBeenCalledTimes(1);
  });
});
