import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/index.js";
import { useAdapterTable } from "../support/adapter-table.js";
import { fixedNow, newSessionToken, newUser, testClock } from "../support/fixtures.js";
import { keyLayouts } from "../support/tables.js";

const day = 24 * 60 * 60 * 1000;

describe.each(keyLayouts)("sessions ($name)", ({ options }) => {
  const setup = useAdapterTable(options);

  async function userAndAdapter() {
    const clock = testClock();
    const adapter = setup.adapter({ clock });
    const user = await adapter.createUser(newUser());
    return { adapter, user, clock };
  }

  it("createSession then getSessionAndUser", async () => {
    const { adapter, user } = await userAndAdapter();
    const session = { sessionToken: newSessionToken(), userId: user.id, expires: new Date(fixedNow + 30 * day) };

    expect(await adapter.createSession(session)).toEqual(session);
    expect(await adapter.getSessionAndUser(session.sessionToken)).toEqual({ session, user });
  });

  it("session found by the very next call", async () => {
    const { adapter, user } = await userAndAdapter();

    for (let index = 0; index < 20; index += 1) {
      const sessionToken = newSessionToken();
      await adapter.createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + day) });
      expect((await adapter.getSessionAndUser(sessionToken))?.session.sessionToken).toBe(sessionToken);
    }
  });

  it("expired session is never returned", async () => {
    const { adapter, user, clock } = await userAndAdapter();
    const sessionToken = newSessionToken();
    await adapter.createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + 60_000) });

    clock.set(fixedNow + 59_999);
    expect(await adapter.getSessionAndUser(sessionToken)).not.toBeNull();
    clock.set(fixedNow + 60_000);
    expect(await adapter.getSessionAndUser(sessionToken)).toBeNull();
  });

  it("expires stored in epoch seconds", async () => {
    const { adapter, user } = await userAndAdapter();
    const sessionToken = newSessionToken();
    await adapter.createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + 1500) });

    const [item] = (await setup.table().scanAll()).filter((candidate) => candidate.sessionToken === sessionToken);
    expect(item?.expires).toBe(Math.floor((fixedNow + 1500) / 1000));
  });

  it("expiry that rounds to zero counts as expired", async () => {
    const { adapter, user } = await userAndAdapter();
    const sessionToken = newSessionToken();
    await adapter.createSession({ sessionToken, userId: user.id, expires: new Date(999) });

    expect(await adapter.getSessionAndUser(sessionToken)).toBeNull();
  });

  it("updateSession extends and returns the session", async () => {
    const { adapter, user } = await userAndAdapter();
    const sessionToken = newSessionToken();
    await adapter.createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + day) });

    const extended = new Date(fixedNow + 30 * day);
    expect(await adapter.updateSession({ sessionToken, expires: extended })).toEqual({ sessionToken, userId: user.id, expires: extended });
    expect((await adapter.getSessionAndUser(sessionToken))?.session.expires).toEqual(extended);
  });

  it("updateSession into the past expires it", async () => {
    const { adapter, user } = await userAndAdapter();
    const sessionToken = newSessionToken();
    await adapter.createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + day) });

    await adapter.updateSession({ sessionToken, expires: new Date(fixedNow - 1000) });
    expect(await adapter.getSessionAndUser(sessionToken)).toBeNull();
  });

  it("updateSession never resurrects a deleted session", async () => {
    const { adapter, user } = await userAndAdapter();
    const sessionToken = newSessionToken();
    await adapter.createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + day) });
    await adapter.deleteSession(sessionToken);

    expect(await adapter.updateSession({ sessionToken, expires: new Date(fixedNow + 30 * day) })).toBeNull();
    expect(await adapter.getSessionAndUser(sessionToken)).toBeNull();
    expect((await setup.table().scanAll()).filter((item) => item.sessionToken === sessionToken)).toEqual([]);
  });

  it("racing update and delete leave no session", async () => {
    const { adapter, user } = await userAndAdapter();

    for (let round = 0; round < 10; round += 1) {
      const sessionToken = newSessionToken();
      await adapter.createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + day) });
      await Promise.all([
        adapter.updateSession({ sessionToken, expires: new Date(fixedNow + 2 * day) }),
        adapter.deleteSession(sessionToken),
        adapter.updateSession({ sessionToken, expires: new Date(fixedNow + 3 * day) }),
      ]);

      expect(await adapter.getSessionAndUser(sessionToken)).toBeNull();
      const left = (await setup.table().scanAll()).filter((item) => item.sessionToken === sessionToken);
      expect(left.every((item) => typeof item.userId === "string" && typeof item.expires === "number")).toBe(true);
      expect(left.filter((item) => String(item[setup.table().names.partitionKey]).startsWith("SESSION#"))).toEqual([]);
    }
  });

  it("deleteSession returns the session and removes both items", async () => {
    const { adapter, user } = await userAndAdapter();
    const session = { sessionToken: newSessionToken(), userId: user.id, expires: new Date(Math.floor((fixedNow + day) / 1000) * 1000) };
    await adapter.createSession(session);

    expect(await adapter.deleteSession(session.sessionToken)).toEqual(session);
    expect(await adapter.deleteSession(session.sessionToken)).toBeNull();
    expect((await setup.table().scanAll()).filter((item) => item.sessionToken === session.sessionToken)).toEqual([]);
  });

  it("session of a deleted user reads as null", async () => {
    const { adapter, user } = await userAndAdapter();
    const sessionToken = newSessionToken();
    await adapter.createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + day) });
    await adapter.deleteUser(user.id);

    expect(await adapter.getSessionAndUser(sessionToken)).toBeNull();
    expect((await setup.table().scanAll()).filter((item) => item.sessionToken === sessionToken)).toEqual([]);
  });

  it("malformed or oversized tokens read as null", async () => {
    const { adapter } = await userAndAdapter();

    for (const token of ["", "has space", "x".repeat(5000), "tab\there", "\u00e9t\u00e9"]) {
      expect(await adapter.getSessionAndUser(token)).toBeNull();
      expect(await adapter.updateSession({ sessionToken: token, expires: new Date(fixedNow) })).toBeNull();
      expect(await adapter.deleteSession(token)).toBeNull();
    }
  });

  it("createSession rejects an unusable token", async () => {
    const { adapter, user } = await userAndAdapter();
    const expires = new Date(fixedNow + day);

    await expect(adapter.createSession({ sessionToken: "", userId: user.id, expires })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(adapter.createSession({ sessionToken: "x".repeat(2000), userId: user.id, expires })).rejects.toThrow(
      "`session.sessionToken` is 2000 bytes, too long for a DynamoDB key (at most 1016 bytes here). Use a shorter value.",
    );
    await expect(adapter.createSession({ sessionToken: newSessionToken(), userId: user.id, expires: new Date(Number.NaN) })).rejects.toThrow(
      "Expected `session.expires` to be a valid Date, got an invalid Date.",
    );
  });
});
