import { describe, expect, it } from "vitest";
import { EmailInUseError, NotFoundError } from "../../src/index.js";
import { useAdapterTable } from "../support/adapter-table.js";
import { newUser } from "../support/fixtures.js";
import { keyLayouts } from "../support/tables.js";

describe.each(keyLayouts)("users ($name)", ({ options }) => {
  const setup = useAdapterTable(options);

  it("createUser then getUser and getUserByEmail", async () => {
    const adapter = setup.adapter();
    const input = newUser({ emailVerified: new Date("2026-01-02T03:04:05.000Z") });

    const created = await adapter.createUser(input);
    expect(created).toEqual(input);
    expect(await adapter.getUser(input.id)).toEqual(input);
    expect(await adapter.getUserByEmail(input.email)).toEqual(input);
  });

  it("createUser without id generates one", async () => {
    const adapter = setup.adapter();
    const { id: _id, ...withoutId } = newUser();

    const created = await adapter.createUser(withoutId as never);
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await adapter.getUser(created.id)).toEqual(created);
  });

  it("returned user holds no key attributes", async () => {
    const adapter = setup.adapter();
    const user = await adapter.createUser(newUser());
    const read = (await adapter.getUser(user.id)) as unknown as Record<string, unknown>;
    const { names } = setup.table();

    for (const name of [names.partitionKey, names.sortKey, names.indexPartitionKey, names.indexSortKey, "type"]) {
      expect(read).not.toHaveProperty(name);
    }
  });

  it("missing users read as null", async () => {
    const adapter = setup.adapter();
    expect(await adapter.getUser("no-such-user")).toBeNull();
    expect(await adapter.getUserByEmail("nobody@example.test")).toBeNull();
    expect(await adapter.getUser("")).toBeNull();
  });

  it("second user with same email is rejected", async () => {
    const adapter = setup.adapter();
    const first = await adapter.createUser(newUser());
    const before = await setup.table().scanAll();

    await expect(adapter.createUser(newUser({ email: first.email }))).rejects.toBeInstanceOf(EmailInUseError);
    expect(await setup.table().scanAll()).toHaveLength(before.length);
  });

  it("racing createUser with one email makes one user", async () => {
    const adapter = setup.adapter();
    const email = `race-${Date.now()}@example.test`;

    for (let round = 0; round < 5; round += 1) {
      const roundEmail = `${round}-${email}`;
      const results = await Promise.allSettled(Array.from({ length: 8 }, () => adapter.createUser(newUser({ email: roundEmail }))));
      const created = results.filter((result) => result.status === "fulfilled");
      const rejected = results.filter((result) => result.status === "rejected");

      expect(created).toHaveLength(1);
      for (const failure of rejected) expect((failure as PromiseRejectedResult).reason).toBeInstanceOf(EmailInUseError);

      const users = (await setup.table().scanAll()).filter((item) => item.email === roundEmail && item.type === "USER");
      expect(users).toHaveLength(1);
    }
  });

  it("updateUser changes fields and returns the stored user", async () => {
    const adapter = setup.adapter();
    const user = await adapter.createUser(newUser());

    const updated = await adapter.updateUser({ id: user.id, name: "Renamed", image: "https://example.test/a.png" });
    expect(updated).toEqual({ ...user, name: "Renamed", image: "https://example.test/a.png" });
    expect(await adapter.getUser(user.id)).toEqual(updated);
  });

  it("updateUser with new email moves the email look-up", async () => {
    const adapter = setup.adapter();
    const user = await adapter.createUser(newUser());
    const newEmail = `moved-${user.id}@example.test`;

    const updated = await adapter.updateUser({ id: user.id, email: newEmail });
    expect(updated.email).toBe(newEmail);
    expect(await adapter.getUserByEmail(newEmail)).toEqual(updated);
    expect(await adapter.getUserByEmail(user.email)).toBeNull();

    // The old email is free again.
    const other = await adapter.createUser(newUser({ email: user.email }));
    expect(await adapter.getUserByEmail(user.email)).toEqual(other);
  });

  it("updateUser to a taken email is rejected", async () => {
    const adapter = setup.adapter();
    const first = await adapter.createUser(newUser());
    const second = await adapter.createUser(newUser());

    await expect(adapter.updateUser({ id: second.id, email: first.email })).rejects.toBeInstanceOf(EmailInUseError);
    expect(await adapter.getUser(second.id)).toEqual(second);
    expect(await adapter.getUserByEmail(first.email)).toEqual(first);
  });

  it("updateUser of a missing user creates nothing", async () => {
    const adapter = setup.adapter();
    const before = await setup.table().scanAll();

    await expect(adapter.updateUser({ id: "missing-user", name: "Ghost" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(adapter.updateUser({ id: "missing-user", email: "ghost@example.test" })).rejects.toBeInstanceOf(NotFoundError);
    expect(await setup.table().scanAll()).toHaveLength(before.length);
  });

  it("deleteUser removes the user and frees the email", async () => {
    const adapter = setup.adapter();
    const user = await adapter.createUser(newUser());

    expect(await adapter.deleteUser(user.id)).toEqual(user);
    expect(await adapter.getUser(user.id)).toBeNull();
    expect(await adapter.getUserByEmail(user.email)).toBeNull();
    expect(await setup.itemsWithKeyPrefix(`USER#${user.id}`)).toEqual([]);
    expect(await setup.itemsWithKeyPrefix(`EMAIL#${user.email}`)).toEqual([]);
  });
});
