import { describe, expect, it } from "vitest";
import type { AdapterEvent } from "../../src/index.js";
import { useAdapterTable } from "../support/adapter-table.js";
import { fixedNow, newSessionToken, newUser, testClock } from "../support/fixtures.js";
import { keyLayouts } from "../support/tables.js";

const day = 24 * 60 * 60 * 1000;

// Two adapter instances over one table stand for two processes of one app.
describe.each(keyLayouts)("cache across two processes ($name)", ({ options }) => {
  const setup = useAdapterTable(options);

  async function twoProcesses(ttl = 5000) {
    const clock = testClock();
    const eventsA: AdapterEvent[] = [];
    const eventsB: AdapterEvent[] = [];
    const processA = setup.adapter({ clock, cache: { ttl }, onEvent: (event) => eventsA.push(event) });
    const processB = setup.adapter({ clock, cache: { ttl }, onEvent: (event) => eventsB.push(event) });
    const user = await processA.createUser(newUser());
    return { clock, processA, processB, eventsA, eventsB, user };
  }

  it("sign-out elsewhere stops serving within ttl", async () => {
    const { clock, processA, processB, user } = await twoProcesses();
    const sessionToken = newSessionToken();
    await processA.createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + day) });

    expect(await processB.getSessionAndUser(sessionToken)).not.toBeNull();
    await processA.deleteSession(sessionToken);
    expect(await processA.getSessionAndUser(sessionToken)).toBeNull();

    clock.advance(4999);
    expect(await processB.getSessionAndUser(sessionToken)).not.toBeNull();
    clock.advance(1);
    expect(await processB.getSessionAndUser(sessionToken)).toBeNull();
  });

  it("extension elsewhere is never lost", async () => {
    const { clock, processA, processB, user } = await twoProcesses(30_000);
    const sessionToken = newSessionToken();
    await processA.createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + 10_000) });

    expect(await processB.getSessionAndUser(sessionToken)).not.toBeNull();
    await processA.updateSession({ sessionToken, expires: new Date(fixedNow + day) });

    // B's cached copy shows the session as expired, so B must read DynamoDB instead of returning null.
    clock.advance(10_000);
    expect((await processB.getSessionAndUser(sessionToken))?.session.expires).toEqual(new Date(fixedNow + day));
  });

  it("deleteUser drops every cached session of the user", async () => {
    const { processA, user } = await twoProcesses(60_000);
    const tokens = [newSessionToken(), newSessionToken(), newSessionToken()];
    for (const sessionToken of tokens) {
      await processA.createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + day) });
      expect(await processA.getSessionAndUser(sessionToken)).not.toBeNull();
    }

    await processA.deleteUser(user.id);
    for (const sessionToken of tokens) expect(await processA.getSessionAndUser(sessionToken)).toBeNull();
    expect(await processA.getUser(user.id)).toBeNull();
  });

  it("updateUser is visible at once in the same process", async () => {
    const { processA, user } = await twoProcesses(60_000);
    const sessionToken = newSessionToken();
    await processA.createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + day) });
    expect((await processA.getSessionAndUser(sessionToken))?.user.name).toBe(user.name);

    await processA.updateUser({ id: user.id, name: "Changed" });
    expect((await processA.getSessionAndUser(sessionToken))?.user.name).toBe("Changed");
    expect((await processA.getUser(user.id))?.name).toBe("Changed");
  });

  it("hot session costs one request per ttl window", async () => {
    const { clock, processB, eventsB, processA, user } = await twoProcesses(5000);
    const sessionToken = newSessionToken();
    await processA.createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + day) });
    const getItems = () => eventsB.filter((event) => event.type === "request" && event.command === "GetCommand").length;

    for (let window = 0; window < 4; window += 1) {
      const before = getItems();
      await Promise.all(Array.from({ length: 50 }, () => processB.getSessionAndUser(sessionToken)));
      for (let index = 0; index < 50; index += 1) await processB.getSessionAndUser(sessionToken);

      // One session GetItem and one user GetItem per window, for 100 look-ups.
      expect(getItems() - before).toBe(2);
      clock.advance(5000);
    }

    expect(eventsB.filter((event) => event.type === "cache" && event.action === "coalesced").length).toBeGreaterThan(0);
    expect(JSON.stringify(eventsB)).not.toContain(sessionToken);
  });

  it("cache off reads DynamoDB every time", async () => {
    const events: AdapterEvent[] = [];
    const adapter = setup.adapter({ cache: false, clock: testClock(), onEvent: (event) => events.push(event) });
    const user = await adapter.createUser(newUser());
    const sessionToken = newSessionToken();
    await adapter.createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + day) });
    events.length = 0;

    for (let index = 0; index < 10; index += 1) await adapter.getSessionAndUser(sessionToken);
    expect(events.filter((event) => event.type === "request")).toHaveLength(20);
  });

  it("returned values are copies", async () => {
    const { processA, user } = await twoProcesses(60_000);
    const sessionToken = newSessionToken();
    await processA.createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + day) });

    const first = await processA.getSessionAndUser(sessionToken);
    if (first === null) throw new Error("session missing");
    first.user.name = "Mutated";
    first.session.expires.setTime(0);

    const second = await processA.getSessionAndUser(sessionToken);
    expect(second?.user.name).toBe(user.name);
    expect(second?.session.expires).toEqual(new Date(fixedNow + day));
  });

  it("size bound evicts and stays correct", async () => {
    const clock = testClock();
    const maxSize = 64 * 1024;
    const events: AdapterEvent[] = [];
    const adapter = setup.adapter({ clock, cache: { ttl: 60_000, maxSize }, onEvent: (event) => events.push(event) });
    const user = await adapter.createUser(newUser());
    const tokens: string[] = [];

    for (let index = 0; index < 120; index += 1) {
      const sessionToken = newSessionToken();
      tokens.push(sessionToken);
      await adapter.createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + day) });
    }

    let misses = 0;
    for (const sessionToken of tokens) if ((await adapter.getSessionAndUser(sessionToken)) === null) misses += 1;
    expect(misses).toBe(0);

    // 120 entries of over 1 KB each cannot fit in 64 KiB, so the oldest were evicted
    // (the unit tests check calculatedSize against maxSize), and an evicted session
    // is read from DynamoDB again.
    const evictions = events.filter((event) => event.type === "cache" && event.action === "evict").length;
    expect(evictions).toBeGreaterThan(50);
    const requestsBefore = events.filter((event) => event.type === "request").length;
    expect((await adapter.getSessionAndUser(tokens[0] as string))?.session.sessionToken).toBe(tokens[0]);
    expect(events.filter((event) => event.type === "request").length).toBeGreaterThan(requestsBefore);
  });
});
