import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { RegionUnavailableError } from "../../src/index.js";
import { fixedNow, newUser, testClock } from "../support/fixtures.js";
import { east, south, useGlobalTable, west } from "../support/global-adapter.js";
import { keyLayouts } from "../support/tables.js";

const day = 24 * 60 * 60 * 1000;
const regions = [east, west, south];

describe.each(keyLayouts)("sessions across regions ($name)", ({ options }) => {
  const setup = useGlobalTable(regions, options);

  const userEverywhere = () => setup.userEverywhere();

  it("fresh session found in another region while replication is paused", async () => {
    const user = await userEverywhere();
    const table = setup.table();
    table.pause();
    let misses = 0;

    try {
      for (let index = 0; index < 15; index += 1) {
        const home = regions[index % 3] as string;
        const reader = regions[(index + 1) % 3] as string;
        const sessionToken = setup.tokenIn(home);
        await setup.adapterIn(home, { clock: testClock() }).createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + day) });

        const found = await setup.adapterIn(reader, { clock: testClock() }).getSessionAndUser(sessionToken);
        if (found?.session.sessionToken !== sessionToken || found.user.id !== user.id) misses += 1;
      }
    } finally {
      table.resume();
      await table.flush();
    }

    expect(misses).toBe(0);
  });

  it("token without a region is found by asking every region", async () => {
    const user = await userEverywhere();
    const table = setup.table();
    const sessionToken = randomUUID();
    await setup.adapterIn(west, { clock: testClock() }).createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + day) });
    table.pause();

    try {
      // Plain tokens are written in the primary region; south has not received it.
      expect((await setup.adapterIn(south, { clock: testClock() }).getSessionAndUser(sessionToken))?.session.sessionToken).toBe(sessionToken);
    } finally {
      table.resume();
      await table.flush();
    }
  });

  it("malformed token sends no request", async () => {
    const table = setup.table();
    table.resetRequestCounts();

    expect(await setup.adapterIn(west).getSessionAndUser("bad token with spaces")).toBeNull();
    expect(table.requestCount()).toBe(0);
  });

  it("local look-up of a replicated session costs two requests in region", async () => {
    const user = await userEverywhere();
    const table = setup.table();
    const sessionToken = setup.tokenIn(east);
    await setup.adapterIn(east, { clock: testClock() }).createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + day) });
    await table.flush();
    table.resetRequestCounts();

    expect(await setup.adapterIn(west, { clock: testClock() }).getSessionAndUser(sessionToken)).not.toBeNull();
    expect(table.requestCount({ caller: west, target: west })).toBe(2);
    expect(table.requestCount({ caller: west, target: east })).toBe(0);
  });

  it("signed-out session never returns in any region", async () => {
    const user = await userEverywhere();
    const table = setup.table();
    let violations = 0;

    for (let round = 0; round < 8; round += 1) {
      const home = regions[round % 3] as string;
      const sessionToken = setup.tokenIn(home);
      await setup.adapterIn(home, { clock: testClock() }).createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + day) });
      await table.flush();
      if (round % 2 === 0) table.pause();

      // Sign-out in one region races an extension in the two others.
      await Promise.allSettled([
        setup.adapterIn(regions[(round + 1) % 3] as string, { clock: testClock() }).deleteSession(sessionToken),
        setup.adapterIn(regions[(round + 2) % 3] as string, { clock: testClock() }).updateSession({ sessionToken, expires: new Date(fixedNow + 30 * day) }),
        setup.adapterIn(home, { clock: testClock() }).updateSession({ sessionToken, expires: new Date(fixedNow + 20 * day) }),
      ]);

      table.resume();
      await table.flush();
      for (const region of regions) {
        const left = await setup.adapterIn(region, { clock: testClock() }).getSessionAndUser(sessionToken);
        const raw = (await table.scanRegion(region)).filter((item) => item.sessionToken === sessionToken);
        if (left !== null || raw.length > 0) violations += 1;
      }
    }

    expect(violations).toBe(0);
  });

  it("sign-out reaches a cached region after the cache ttl", async () => {
    const user = await userEverywhere();
    const table = setup.table();
    const clock = testClock();
    const cachedWest = setup.adapterIn(west, { clock, cache: { ttl: 5000 } });
    const sessionToken = setup.tokenIn(east);
    await setup.adapterIn(east, { clock }).createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + day) });
    await table.flush();

    expect(await cachedWest.getSessionAndUser(sessionToken)).not.toBeNull();
    await setup.adapterIn(south, { clock }).deleteSession(sessionToken);
    await table.flush();

    clock.advance(5000);
    expect(await cachedWest.getSessionAndUser(sessionToken)).toBeNull();
  });

  it("extension in the owner region wins over an expired local copy", async () => {
    const user = await userEverywhere();
    const table = setup.table();
    const clock = testClock();
    const sessionToken = setup.tokenIn(east);
    await setup.adapterIn(east, { clock }).createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + 1000) });
    await table.flush();
    table.pause();

    try {
      await setup.adapterIn(east, { clock }).updateSession({ sessionToken, expires: new Date(fixedNow + day) });
      clock.advance(2000);
      expect((await setup.adapterIn(west, { clock }).getSessionAndUser(sessionToken))?.session.expires).toEqual(new Date(fixedNow + day));
    } finally {
      table.resume();
      await table.flush();
    }
  });

  it("expired local copy with unreachable owner raises", async () => {
    const user = await userEverywhere();
    const table = setup.table();
    const clock = testClock();
    const sessionToken = setup.tokenIn(east);
    await setup.adapterIn(east, { clock }).createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + 1000) });
    await table.flush();
    clock.advance(2000);
    table.setUnreachable(east, true);

    try {
      // The owner may hold an extension; null would sign the user out, so the outage is raised.
      await expect(setup.adapterIn(west, { clock }).getSessionAndUser(sessionToken)).rejects.toBeInstanceOf(RegionUnavailableError);
    } finally {
      table.setUnreachable(east, false);
    }
  });

  it("unreachable owner: local reads work, writes fail whole", async () => {
    const user = await userEverywhere();
    const table = setup.table();
    const sessionToken = setup.tokenIn(east);
    await setup.adapterIn(east, { clock: testClock() }).createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + day) });
    await table.flush();
    table.setUnreachable(east, true);

    try {
      const west_ = setup.adapterIn(west, { clock: testClock() });
      expect((await west_.getSessionAndUser(sessionToken))?.user.id).toBe(user.id);

      const before = await table.scanRegion(west);
      await expect(west_.updateSession({ sessionToken, expires: new Date(fixedNow + 2 * day) })).rejects.toThrow(
        "updateSession needs region us-east-1, which did not respond. A write that timed out may or may not have been applied there, and a transaction is applied whole or not at all; retry when the region is reachable again.",
      );
      await expect(west_.createUser(newUser())).rejects.toBeInstanceOf(RegionUnavailableError);
      expect(await table.scanRegion(west)).toEqual(before);

      // A session whose home is reachable still works end to end.
      const westToken = setup.tokenIn(west);
      await west_.createSession({ sessionToken: westToken, userId: user.id, expires: new Date(fixedNow + day) });
      expect((await west_.getSessionAndUser(westToken))?.session.sessionToken).toBe(westToken);
    } finally {
      table.setUnreachable(east, false);
      await table.flush();
    }
  });
});
