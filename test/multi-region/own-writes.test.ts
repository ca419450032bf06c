import { describe, expect, it } from "vitest";
import { fixedNow, newUser, testClock } from "../support/fixtures.js";
import { east, south, useGlobalTable, west } from "../support/global-adapter.js";
import { keyLayouts } from "../support/tables.js";

const day = 24 * 60 * 60 * 1000;
const regions = [east, west, south];

describe.each(keyLayouts)("own writes and deletes across regions ($name)", ({ options }) => {
  const setup = useGlobalTable(regions, options);

  const userEverywhere = () => setup.userEverywhere();

  it("deleteUser removes a session not yet replicated to the primary", async () => {
    const user = await userEverywhere();
    const table = setup.table();
    const { partitionKey } = table.names;
    const sessionToken = setup.tokenIn(west);
    table.pause();

    try {
      await setup.adapterIn(west, { clock: testClock() }).createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + day) });
      await setup.adapterIn(south, { clock: testClock() }).deleteUser(user.id);
    } finally {
      table.resume();
      await table.flush();
    }

    for (const region of regions) {
      const left = (await table.scanRegion(region)).filter((item) => item.userId === user.id || String(item[partitionKey]) === `USER#${user.id}`);
      expect(left).toEqual([]);
    }
  });

  it("updateUser is visible to the next getUser of the same adapter", async () => {
    const user = await userEverywhere();
    const table = setup.table();
    const westAdapter = setup.adapterIn(west, { clock: testClock(), cache: {} });
    expect((await westAdapter.getUser(user.id))?.name).toBe(user.name);
    table.pause();

    try {
      await westAdapter.updateUser({ id: user.id, name: "Renamed in west" });
      expect((await westAdapter.getUser(user.id))?.name).toBe("Renamed in west");
    } finally {
      table.resume();
      await table.flush();
    }
  });

  it("deleteSession is visible to the next look-up of the same adapter", async () => {
    const user = await userEverywhere();
    const table = setup.table();
    const sessionToken = setup.tokenIn(east);
    await setup.adapterIn(east, { clock: testClock() }).createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + day) });
    await table.flush();
    const westAdapter = setup.adapterIn(west, { clock: testClock(), cache: {} });
    table.pause();

    try {
      expect((await westAdapter.deleteSession(sessionToken))?.sessionToken).toBe(sessionToken);
      expect(await westAdapter.getSessionAndUser(sessionToken)).toBeNull();
    } finally {
      table.resume();
      await table.flush();
    }
  });
});
