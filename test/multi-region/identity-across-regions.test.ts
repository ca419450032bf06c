import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AccountAlreadyLinkedError, CounterRegressionError, EmailInUseError } from "../../src/index.js";
import { fixedNow, newAccount, newAuthenticator, newUser, testClock } from "../support/fixtures.js";
import { east, south, useGlobalTable, west } from "../support/global-adapter.js";

const day = 24 * 60 * 60 * 1000;
const regions = [east, west, south];

describe("identity invariants across regions", () => {
  const setup = useGlobalTable(regions);
  const adapters = () => regions.map((region) => setup.adapterIn(region, { clock: testClock() }));

  it("racing sign-ups never share an email", async () => {
    const table = setup.table();
    let violations = 0;

    for (let round = 0; round < 8; round += 1) {
      if (round % 2 === 0) table.pause();
      else table.setLag({ mode: "random", minMs: 0, maxMs: 40, seed: round });

      const email = `race-${round}-${randomUUID()}@example.test`;
      const results = await Promise.allSettled(adapters().map((adapter) => adapter.createUser(newUser({ email }))));
      for (const result of results) if (result.status === "rejected" && !(result.reason instanceof EmailInUseError)) throw result.reason;

      table.resume();
      table.setLag({ mode: "zero" });
      await table.flush();

      const users = (await table.scanRegion(west)).filter((item) => item.type === "USER" && item.email === email);
      if (users.length !== 1 || results.filter((result) => result.status === "fulfilled").length !== 1) violations += 1;
    }

    expect(violations).toBe(0);
  });

  it("racing links never join one account to two users", async () => {
    const table = setup.table();
    const users = await Promise.all(regions.map(() => setup.adapterIn(east).createUser(newUser())));
    await table.flush();
    let violations = 0;

    for (let round = 0; round < 8; round += 1) {
      table.pause();
      const providerAccountId = `account-${round}-${randomUUID()}`;
      const results = await Promise.allSettled(adapters().map((adapter, index) => adapter.linkAccount(newAccount(users[index]?.id as string, { providerAccountId }))));
      for (const result of results) if (result.status === "rejected" && !(result.reason instanceof AccountAlreadyLinkedError)) throw result.reason;

      table.resume();
      await table.flush();
      for (const region of regions) {
        const linked = (await table.scanRegion(region)).filter((item) => item.providerAccountId === providerAccountId && item.access_token !== undefined);
        if (linked.length !== 1) violations += 1;
      }
    }

    expect(violations).toBe(0);
  });

  it("verification token is used once across regions", async () => {
    const table = setup.table();
    let violations = 0;

    for (let round = 0; round < 10; round += 1) {
      const token = { identifier: `vt-${round}@example.test`, token: randomUUID(), expires: new Date(fixedNow + day) };
      await setup.adapterIn(regions[round % 3] as string, { clock: testClock() }).createVerificationToken(token);
      if (round % 2 === 0) await table.flush();
      else table.pause();

      const results = await Promise.all([...adapters(), ...adapters()].map((adapter) => adapter.useVerificationToken(token)));
      if (results.filter((result) => result !== null).length !== 1) violations += 1;

      table.resume();
      await table.flush();
    }

    expect(violations).toBe(0);
  });

  it("authenticator counter never goes backwards", async () => {
    const table = setup.table();
    const user = await setup.adapterIn(east).createUser(newUser());
    const authenticator = newAuthenticator(user.id);
    await setup.adapterIn(west).createAuthenticator(authenticator);
    await table.flush();
    let highest = 0;
    let violations = 0;

    for (let round = 1; round <= 8; round += 1) {
      table.setLag({ mode: "random", minMs: 0, maxMs: 30, seed: round });
      const counters = regions.flatMap((_, index) => [round * 10 + index, round * 10 - index]);
      const results = await Promise.allSettled(counters.map((counter, index) => (adapters()[index % 3] as ReturnType<typeof adapters>[number]).updateAuthenticatorCounter(authenticator.credentialID, counter)));
      for (const result of results) if (result.status === "rejected" && !(result.reason instanceof CounterRegressionError)) throw result.reason;

      table.setLag({ mode: "zero" });
      await table.flush();
      for (const region of regions) {
        const stored = (await setup.adapterIn(region).getAuthenticator(authenticator.credentialID))?.counter ?? -1;
        if (stored < highest || stored !== Math.max(...counters)) violations += 1;
      }
      highest = Math.max(...counters);
    }

    expect(violations).toBe(0);
  });

  it("deleteUser removes sessions of every region", async () => {
    const table = setup.table();
    const user = await setup.adapterIn(east).createUser(newUser());
    await setup.adapterIn(east).linkAccount(newAccount(user.id));
    await table.flush();
    const tokens: string[] = [];

    for (const region of regions) {
      for (let index = 0; index < 12; index += 1) {
        const sessionToken = setup.tokenIn(region);
        tokens.push(sessionToken);
        await setup.adapterIn(region, { clock: testClock() }).createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + day) });
      }
    }
    await table.flush();

    await setup.adapterIn(south, { clock: testClock() }).deleteUser(user.id);
    await table.flush();

    for (const region of regions) {
      const left = (await table.scanRegion(region)).filter((item) => item.userId === user.id || item.id === user.id || JSON.stringify(item).includes(user.id));
      expect(left).toEqual([]);
      for (const token of tokens.slice(0, 3)) expect(await setup.adapterIn(region, { clock: testClock() }).getSessionAndUser(token)).toBeNull();
    }
  });
});
