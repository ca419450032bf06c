import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CounterRegressionError, NotFoundError } from "../../src/index.js";
import { useAdapterTable } from "../support/adapter-table.js";
import { fixedNow, newAuthenticator, newUser, testClock } from "../support/fixtures.js";
import { keyLayouts } from "../support/tables.js";

describe.each(keyLayouts)("verification tokens ($name)", ({ options }) => {
  const setup = useAdapterTable(options);

  it("token is used exactly once", async () => {
    const adapter = setup.adapter({ clock: testClock() });
    const token = { identifier: "user@example.test", token: randomUUID(), expires: new Date(fixedNow + 60_000) };

    expect(await adapter.createVerificationToken(token)).toEqual(token);
    expect(await adapter.useVerificationToken(token)).toEqual(token);
    expect(await adapter.useVerificationToken(token)).toBeNull();
    expect(await setup.itemsWithKeyPrefix(`VT#${token.identifier}`)).toEqual([]);
  });

  it("racing uses return the token once", async () => {
    const adapter = setup.adapter({ clock: testClock() });

    for (let round = 0; round < 10; round += 1) {
      const token = { identifier: `race-${round}@example.test`, token: randomUUID(), expires: new Date(fixedNow + 60_000) };
      await adapter.createVerificationToken(token);

      const results = await Promise.all(Array.from({ length: 8 }, () => adapter.useVerificationToken(token)));
      expect(results.filter((result) => result !== null)).toHaveLength(1);
    }
  });

  it("expired token is not returned", async () => {
    const clock = testClock();
    const adapter = setup.adapter({ clock });
    const token = { identifier: "late@example.test", token: randomUUID(), expires: new Date(fixedNow + 1000) };
    await adapter.createVerificationToken(token);

    clock.set(fixedNow + 1000);
    expect(await adapter.useVerificationToken(token)).toBeNull();
  });

  it("wrong identifier does not consume the token", async () => {
    const adapter = setup.adapter({ clock: testClock() });
    const token = { identifier: "right@example.test", token: randomUUID(), expires: new Date(fixedNow + 60_000) };
    await adapter.createVerificationToken(token);

    expect(await adapter.useVerificationToken({ identifier: "wrong@example.test", token: token.token })).toBeNull();
    expect(await adapter.useVerificationToken(token)).toEqual(token);
  });
});

describe.each(keyLayouts)("authenticators ($name)", ({ options }) => {
  const setup = useAdapterTable(options);

  it("create, get and list", async () => {
    const adapter = setup.adapter();
    const user = await adapter.createUser(newUser());
    const first = newAuthenticator(user.id);
    const second = newAuthenticator(user.id, { counter: 5 });

    expect(await adapter.createAuthenticator(first)).toEqual(first);
    await adapter.createAuthenticator(second);
    expect(await adapter.getAuthenticator(first.credentialID)).toEqual(first);
    expect(await adapter.getAuthenticator("missing")).toBeNull();

    const listed = await adapter.listAuthenticatorsByUserId(user.id);
    expect(listed.map((authenticator) => authenticator.credentialID).sort()).toEqual([first.credentialID, second.credentialID].sort());
    expect(await adapter.listAuthenticatorsByUserId("nobody")).toEqual([]);
  });

  it("createAuthenticator for a missing user writes nothing", async () => {
    const adapter = setup.adapter();
    const before = await setup.table().scanAll();

    await expect(adapter.createAuthenticator(newAuthenticator("missing-user"))).rejects.toBeInstanceOf(NotFoundError);
    expect(await setup.table().scanAll()).toHaveLength(before.length);
  });

  it("counter moves forward and never back", async () => {
    const adapter = setup.adapter();
    const user = await adapter.createUser(newUser());
    const authenticator = newAuthenticator(user.id, { counter: 3 });
    await adapter.createAuthenticator(authenticator);

    expect((await adapter.updateAuthenticatorCounter(authenticator.credentialID, 4)).counter).toBe(4);
    await expect(adapter.updateAuthenticatorCounter(authenticator.credentialID, 2)).rejects.toBeInstanceOf(CounterRegressionError);
    expect((await adapter.getAuthenticator(authenticator.credentialID))?.counter).toBe(4);
    await expect(adapter.updateAuthenticatorCounter("missing", 1)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("racing counter updates end at the highest", async () => {
    const adapter = setup.adapter();
    const user = await adapter.createUser(newUser());
    const authenticator = newAuthenticator(user.id);
    await adapter.createAuthenticator(authenticator);
    let regressions = 0;

    for (let round = 1; round <= 5; round += 1) {
      const counters = Array.from({ length: 6 }, (_, index) => round * 10 + ((index * 7) % 6));
      const results = await Promise.allSettled(counters.map((counter) => adapter.updateAuthenticatorCounter(authenticator.credentialID, counter)));
      for (const result of results) if (result.status === "rejected" && !(result.reason instanceof CounterRegressionError)) throw result.reason;

      const stored = (await adapter.getAuthenticator(authenticator.credentialID))?.counter ?? -1;
      if (stored !== Math.max(...counters)) regressions += 1;
    }

    expect(regressions).toBe(0);
  });
});
