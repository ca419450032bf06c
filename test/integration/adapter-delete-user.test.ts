import { describe, expect, it } from "vitest";
import { useAdapterTable } from "../support/adapter-table.js";
import { fixedNow, newAccount, newAuthenticator, newSessionToken, newUser } from "../support/fixtures.js";
import { keyLayouts } from "../support/tables.js";

const day = 24 * 60 * 60 * 1000;

describe.each(keyLayouts)("deleteUser ($name)", ({ options }) => {
  const setup = useAdapterTable(options);

  async function populate(adapter: ReturnType<typeof setup.adapter>, sessions: number, accounts: number, bulky = false) {
    const user = await adapter.createUser(newUser((bulky ? { bio: "b".repeat(300_000) } : {}) as never));
    const tokens: string[] = [];

    for (let index = 0; index < sessions; index += 1) {
      const sessionToken = newSessionToken();
      tokens.push(sessionToken);
      await adapter.createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + day) });
    }

    for (let index = 0; index < accounts; index += 1) {
      // About 90 KB per account, so the user's partition spans several 1 MB query pages.
      await adapter.linkAccount(newAccount(user.id, { provider: `provider${index}`, ...(bulky ? { id_token: "t".repeat(90_000) } : {}) }));
    }

    await adapter.createAuthenticator(newAuthenticator(user.id));
    return { user, tokens };
  }

  it("removes every item of a large user and nothing else", async () => {
    const adapter = setup.adapter({ clock: { now: () => fixedNow } });
    const bystander = await populate(adapter, 3, 2);
    const doomed = await populate(adapter, 40, 30, true);
    const { names } = setup.table();
    const before = await setup.table().scanAll();

    expect(await adapter.deleteUser(doomed.user.id)).toEqual(doomed.user);

    const after = await setup.table().scanAll();
    const leftovers = after.filter((item) => item.userId === doomed.user.id || String(item[names.partitionKey]).includes(doomed.user.id) || item.id === doomed.user.id);
    expect(leftovers).toEqual([]);
    for (const token of doomed.tokens) expect(await adapter.getSessionAndUser(token)).toBeNull();

    const bystanderItems = before.filter((item) => item.userId === bystander.user.id || String(item[names.partitionKey]).includes(bystander.user.id) || item.id === bystander.user.id);
    expect(bystanderItems.length).toBeGreaterThan(10);
    expect(after.filter((item) => bystanderItems.some((kept) => kept[names.partitionKey] === item[names.partitionKey] && kept[names.sortKey] === item[names.sortKey]))).toHaveLength(bystanderItems.length);
    expect(await adapter.getSessionAndUser(bystander.tokens[0] as string)).not.toBeNull();
  });

  it("missing user returns null", async () => {
    const adapter = setup.adapter();
    expect(await adapter.deleteUser("never-existed")).toBeNull();
  });
});
