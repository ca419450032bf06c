import { randomUUID } from "node:crypto";
import { DynamoDBAdapter as OfficialAdapter } from "@auth/dynamodb-adapter";
import type { Adapter } from "@auth/core/adapters";
import { describe, expect, it } from "vitest";
import { AccountAlreadyLinkedError, EmailInUseError } from "../../src/index.js";
import { useAdapterTable } from "../support/adapter-table.js";
import { newAccount, newUser } from "../support/fixtures.js";
import { keyLayouts } from "../support/tables.js";

const day = 24 * 60 * 60 * 1000;

describe.each(keyLayouts)("items written by the official adapter ($name)", ({ options }) => {
  const setup = useAdapterTable(options);
  const official = () => OfficialAdapter(setup.table().document, { ...options, tableName: setup.table().names.tableName }) as Required<Adapter>;

  async function seedWithOfficial() {
    const writer = official();
    const user = await writer.createUser(newUser({ emailVerified: new Date("2025-05-05T05:05:05.000Z") }));
    const account = newAccount(user.id);
    await writer.linkAccount(account);
    const session = { sessionToken: randomUUID(), userId: user.id, expires: new Date(Date.now() + day) };
    await writer.createSession(session);
    const token = { identifier: user.email, token: randomUUID(), expires: new Date(Date.now() + day) };
    await writer.createVerificationToken(token);
    return { user, account, session, token };
  }

  it("reads users, accounts, sessions and tokens", async () => {
    const adapter = setup.adapter();
    const { user, account, session, token } = await seedWithOfficial();

    expect(await adapter.getUser(user.id)).toEqual(user);
    expect(await adapter.getUserByEmail(user.email)).toEqual(user);
    expect(await adapter.getUserByAccount(account)).toEqual(user);
    expect(await adapter.getAccount(account.providerAccountId, account.provider)).toMatchObject(account);

    const found = await adapter.getSessionAndUser(session.sessionToken);
    expect(found?.user).toEqual(user);
    expect(found?.session.sessionToken).toBe(session.sessionToken);
    expect(Math.abs((found?.session.expires.getTime() ?? 0) - session.expires.getTime())).toBeLessThan(1000);

    expect(await adapter.useVerificationToken(token)).toEqual({ ...token, expires: expect.any(Date) });
    expect(await adapter.useVerificationToken(token)).toBeNull();
  });

  it("updates and deletes what it wrote", async () => {
    const adapter = setup.adapter();
    const { user, account, session } = await seedWithOfficial();

    const extended = new Date(Math.floor((Date.now() + 10 * day) / 1000) * 1000);
    expect((await adapter.updateSession({ sessionToken: session.sessionToken, expires: extended }))?.expires).toEqual(extended);
    expect((await adapter.updateUser({ id: user.id, name: "Switched" })).name).toBe("Switched");

    const moved = `moved-${user.id}@example.test`;
    await adapter.updateUser({ id: user.id, email: moved });
    expect((await adapter.getUserByEmail(moved))?.id).toBe(user.id);

    expect((await adapter.deleteSession(session.sessionToken))?.sessionToken).toBe(session.sessionToken);
    expect(await adapter.getSessionAndUser(session.sessionToken)).toBeNull();

    expect((await adapter.unlinkAccount(account))?.providerAccountId).toBe(account.providerAccountId);
    expect(await adapter.deleteUser(user.id)).toMatchObject({ id: user.id });
    expect(await setup.itemsWithKeyPrefix(`USER#${user.id}`)).toEqual([]);
  });

  it("keeps emails and accounts unique against old items", async () => {
    const adapter = setup.adapter();
    const { user, account } = await seedWithOfficial();
    const other = await adapter.createUser(newUser());

    await expect(adapter.createUser(newUser({ email: user.email }))).rejects.toBeInstanceOf(EmailInUseError);
    await expect(adapter.linkAccount({ ...account, userId: other.id })).rejects.toBeInstanceOf(AccountAlreadyLinkedError);
  });

  it("deleteUser removes every old item of the user", async () => {
    const adapter = setup.adapter();
    const writer = official();
    const { user } = await seedWithOfficial();
    for (let index = 0; index < 30; index += 1) await writer.createSession({ sessionToken: randomUUID(), userId: user.id, expires: new Date(Date.now() + day) });

    await adapter.deleteUser(user.id);
    expect(await setup.itemsWithKeyPrefix(`USER#${user.id}`)).toEqual([]);
  });

  it("reads next-auth v3 items with ISO dates", async () => {
    const adapter = setup.adapter();
    const { names, document } = setup.table();
    const userId = randomUUID();
    const sessionToken = randomUUID();
    const expires = new Date(Date.now() + day);
    const email = `${userId}@example.test`;

    await document.put({ TableName: names.tableName, Item: { [names.partitionKey]: `USER#${userId}`, [names.sortKey]: `USER#${userId}`, [names.indexPartitionKey]: `USER#${email}`, [names.indexSortKey]: `USER#${email}`, type: "USER", id: userId, email, name: "Old", emailVerified: "2020-01-01T00:00:00.000Z", createdAt: "2020-01-01T00:00:00.000Z" } });
    await document.put({ TableName: names.tableName, Item: { [names.partitionKey]: `USER#${userId}`, [names.sortKey]: `SESSION#${sessionToken}`, [names.indexPartitionKey]: `SESSION#${sessionToken}`, [names.indexSortKey]: `SESSION#${sessionToken}`, type: "SESSION", userId, sessionToken, expires: expires.toISOString() } });
    await document.put({ TableName: names.tableName, Item: { [names.partitionKey]: `VR#${email}`, [names.sortKey]: `VR#hashed-token`, type: "VR", identifier: email, token: "hashed-token", expires: expires.toISOString() } });

    const found = await adapter.getSessionAndUser(sessionToken);
    expect(found?.session.expires).toEqual(expires);
    expect(found?.user).toEqual({ id: userId, email, name: "Old", emailVerified: new Date("2020-01-01T00:00:00.000Z"), createdAt: new Date("2020-01-01T00:00:00.000Z") });
    expect(await adapter.getUserByEmail(email)).toEqual(found?.user);
    expect(await adapter.useVerificationToken({ identifier: email, token: "hashed-token" })).toEqual({ identifier: email, token: "hashed-token", expires });
  });

  it("expired old session is not returned", async () => {
    const adapter = setup.adapter();
    const writer = official();
    const user = await writer.createUser(newUser());
    const sessionToken = randomUUID();
    await writer.createSession({ sessionToken, userId: user.id, expires: new Date(Date.now() - 1000) });

    expect(await adapter.getSessionAndUser(sessionToken)).toBeNull();
  });
});
