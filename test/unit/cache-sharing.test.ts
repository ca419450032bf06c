import type { AdapterUser } from "@auth/core/adapters";
import { describe, expect, it } from "vitest";
import { SessionCache, resolveCacheOptions, type ResolvedCacheOptions } from "../../src/cache/index.js";
import { sameData } from "../../src/cache/equal.js";

const now = Date.UTC(2026, 0, 1);
const clock = { now: () => now };

function cacheWithUsers(users: Map<string, AdapterUser>, ownerOf: (token: string) => string) {
  const options = resolveCacheOptions({ ttl: 60_000 }) as ResolvedCacheOptions;
  return new SessionCache(
    options,
    {
      loadSessionAndUser: async (token) => {
        const userId = ownerOf(token);
        const user = users.get(userId);
        return user === undefined ? null : { session: { sessionToken: token, userId, expires: new Date(now + 3_600_000) }, user: structuredClone(user) };
      },
      loadUser: async (userId) => structuredClone(users.get(userId) ?? null),
    },
    clock,
  );
}

describe("cache user sharing", () => {
  it("sessions of one user return equal copies", async () => {
    const users = new Map([["u1", { id: "u1", email: "a@example.test", emailVerified: new Date(now), name: "Ada", tags: ["x"] } as AdapterUser]]);
    const cache = cacheWithUsers(users, () => "u1");

    const first = await cache.getSessionAndUser("t1");
    const second = await cache.getSessionAndUser("t2");
    expect(first?.user).toEqual(second?.user);
    expect(first?.user).not.toBe(second?.user);

    (first?.user as unknown as { tags: string[] }).tags.push("mutated");
    first?.user.emailVerified?.setTime(0);
    expect((await cache.getSessionAndUser("t2"))?.user).toEqual(users.get("u1"));
    expect((await cache.getSessionAndUser("t1"))?.user).toEqual(users.get("u1"));
  });

  it("changed user data is not shared", async () => {
    const users = new Map([["u1", { id: "u1", email: "a@example.test", emailVerified: null, name: "Before" } as AdapterUser]]);
    const cache = cacheWithUsers(users, () => "u1");

    expect((await cache.getSessionAndUser("t1"))?.user.name).toBe("Before");
    users.set("u1", { id: "u1", email: "a@example.test", emailVerified: null, name: "After" });

    expect((await cache.getSessionAndUser("t2"))?.user.name).toBe("After");
    expect((await cache.getSessionAndUser("t1"))?.user.name).toBe("Before");
  });

  it("expires comes back as a fresh Date", async () => {
    const users = new Map([["u1", { id: "u1", email: "a@example.test", emailVerified: null } as AdapterUser]]);
    const cache = cacheWithUsers(users, () => "u1");

    const first = await cache.getSessionAndUser("t1");
    expect(first?.session.expires).toEqual(new Date(now + 3_600_000));
    first?.session.expires.setTime(0);
    expect((await cache.getSessionAndUser("t1"))?.session.expires).toEqual(new Date(now + 3_600_000));
  });

  it("deleteUser still drops shared sessions", async () => {
    const users = new Map([["u1", { id: "u1", email: "a@example.test", emailVerified: null } as AdapterUser]]);
    const cache = cacheWithUsers(users, () => "u1");
    await cache.getSessionAndUser("t1");
    await cache.getSessionAndUser("t2");
    expect(cache.size).toBe(2);

    cache.deleteUser("u1");
    expect(cache.size).toBe(0);
  });
});

describe("sameData", () => {
  const cases: Array<[string, unknown, unknown, boolean]> = [
    ["equal strings", "a", "a", true],
    ["different numbers", 1, 2, false],
    ["equal dates", new Date(5), new Date(5), true],
    ["different dates", new Date(5), new Date(6), false],
    ["nested objects", { a: [1, { b: "c" }] }, { a: [1, { b: "c" }] }, true],
    ["extra key", { a: 1 }, { a: 1, b: undefined }, false],
    ["sets by content", new Set(["a", "b"]), new Set(["b", "a"]), true],
    ["different sets", new Set(["a"]), new Set(["b"]), false],
    ["bytes", new Uint8Array([1, 2]), new Uint8Array([1, 2]), true],
    ["different bytes", new Uint8Array([1, 2]), new Uint8Array([1, 3]), false],
    ["null and object", null, {}, false],
    ["array and object", [], {}, false],
  ];

  it.each(cases)("%s", (_name, left, right, expected) => {
    expect(sameData(left, right)).toBe(expected);
  });
});
