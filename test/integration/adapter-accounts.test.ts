import { describe, expect, it } from "vitest";
import { AccountAlreadyLinkedError, InvalidInputError, NotFoundError } from "../../src/index.js";
import { useAdapterTable } from "../support/adapter-table.js";
import { newAccount, newUser } from "../support/fixtures.js";
import { keyLayouts } from "../support/tables.js";

describe.each(keyLayouts)("accounts ($name)", ({ options }) => {
  const setup = useAdapterTable(options);

  it("linkAccount then getUserByAccount and getAccount", async () => {
    const adapter = setup.adapter();
    const user = await adapter.createUser(newUser());
    const account = newAccount(user.id);

    expect(await adapter.linkAccount(account)).toEqual(account);
    expect(await adapter.getUserByAccount(account)).toEqual(user);
    expect(await adapter.getAccount(account.providerAccountId, account.provider)).toEqual(account);
  });

  it("unknown account reads as null", async () => {
    const adapter = setup.adapter();
    expect(await adapter.getUserByAccount({ provider: "github", providerAccountId: "missing" })).toBeNull();
    expect(await adapter.getAccount("missing", "github")).toBeNull();
  });

  it("account linked to a second user is rejected", async () => {
    const adapter = setup.adapter();
    const first = await adapter.createUser(newUser());
    const second = await adapter.createUser(newUser());
    const account = newAccount(first.id);
    await adapter.linkAccount(account);
    const before = await setup.table().scanAll();

    await expect(adapter.linkAccount({ ...account, userId: second.id })).rejects.toBeInstanceOf(AccountAlreadyLinkedError);
    expect(await adapter.getUserByAccount(account)).toEqual(first);
    expect(await setup.table().scanAll()).toHaveLength(before.length);
  });

  it("racing links of one account link one user", async () => {
    const adapter = setup.adapter();
    const users = await Promise.all(Array.from({ length: 6 }, () => adapter.createUser(newUser())));

    for (let round = 0; round < 5; round += 1) {
      const providerAccountId = `race-${round}-${users[0]?.id}`;
      const results = await Promise.allSettled(users.map((user) => adapter.linkAccount(newAccount(user.id, { providerAccountId }))));

      expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
      const accountItems = (await setup.table().scanAll()).filter((item) => item.providerAccountId === providerAccountId && item.access_token !== undefined);
      expect(accountItems).toHaveLength(1);
    }
  });

  it("linkAccount to a missing user writes nothing", async () => {
    const adapter = setup.adapter();
    const before = await setup.table().scanAll();

    await expect(adapter.linkAccount(newAccount("missing-user"))).rejects.toBeInstanceOf(NotFoundError);
    expect(await setup.table().scanAll()).toHaveLength(before.length);
  });

  it("provider id with # is rejected", async () => {
    const adapter = setup.adapter();
    const user = await adapter.createUser(newUser());

    await expect(adapter.linkAccount(newAccount(user.id, { provider: "git#hub" }))).rejects.toThrow(
      'The provider id "git#hub" contains "#", which this table layout uses as a separator. Give the provider an id without "#".',
    );
    await expect(adapter.linkAccount(newAccount(user.id, { providerAccountId: "" }))).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("unlinkAccount removes the account and its link", async () => {
    const adapter = setup.adapter();
    const user = await adapter.createUser(newUser());
    const account = newAccount(user.id);
    await adapter.linkAccount(account);

    expect(await adapter.unlinkAccount(account)).toEqual(account);
    expect(await adapter.getUserByAccount(account)).toBeNull();
    expect(await adapter.unlinkAccount(account)).toBeUndefined();
    expect((await setup.table().scanAll()).filter((item) => item.providerAccountId === account.providerAccountId)).toEqual([]);

    // The account is free to link again.
    await adapter.linkAccount(account);
    expect(await adapter.getUserByAccount(account)).toEqual(user);
  });
});

describe("not-found message", () => {
  const setup = useAdapterTable({});

  it("names the missing user and the fix", async () => {
    const adapter = setup.adapter();
    await expect(adapter.linkAccount(newAccount("ghost-user"))).rejects.toThrow('No user with id "ghost-user" exists, so nothing was written. Check the id, or create the user first.');
  });
});
