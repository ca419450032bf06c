import { describe, expect, it } from "vitest";
import { AccountAlreadyLinkedError, EmailInUseError, type AdapterEvent } from "../../src/index.js";
import { useAdapterTable } from "../support/adapter-table.js";
import { fixedNow, newAccount, newAuthenticator, newUser, testClock } from "../support/fixtures.js";
import { generateSessionToken } from "../../src/index.js";
import { keyLayouts } from "../support/tables.js";

const day = 24 * 60 * 60 * 1000;

// Multi-region strong consistency makes every region's reads and conditions
// global, so one DynamoDB Local region is all of them here. The test checks
// that this mode sends no transaction and no remote request.
describe.each(keyLayouts)("strong consistency mode ($name)", ({ options }) => {
  const setup = useAdapterTable(options);

  function strongAdapter(events: AdapterEvent[]) {
    const { document } = setup.table();
    return setup.adapter({
      clock: testClock(),
      onEvent: (event) => events.push(event),
      global: { regions: ["us-east-1", "eu-west-1", "ap-southeast-2"], localRegion: "eu-west-1", consistency: "strong", createClient: () => document },
    });
  }

  it("whole contract runs locally without transactions", async () => {
    const events: AdapterEvent[] = [];
    const adapter = strongAdapter(events);

    const user = await adapter.createUser(newUser());
    await expect(adapter.createUser(newUser({ email: user.email }))).rejects.toBeInstanceOf(EmailInUseError);

    const account = newAccount(user.id);
    await adapter.linkAccount(account);
    const other = await adapter.createUser(newUser());
    await expect(adapter.linkAccount({ ...account, userId: other.id })).rejects.toBeInstanceOf(AccountAlreadyLinkedError);
    expect(await adapter.getUserByAccount(account)).toEqual(user);

    const sessionToken = generateSessionToken("us-east-1");
    await adapter.createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + day) });
    expect((await adapter.getSessionAndUser(sessionToken))?.user).toEqual(user);

    const moved = `moved-${user.id}@example.test`;
    await adapter.updateUser({ id: user.id, email: moved });
    expect((await adapter.getUserByEmail(moved))?.id).toBe(user.id);
    expect(await adapter.getUserByEmail(user.email)).toBeNull();

    await adapter.createAuthenticator(newAuthenticator(user.id));
    await adapter.deleteUser(user.id);
    expect(await adapter.getSessionAndUser(sessionToken)).toBeNull();
    expect(await setup.itemsWithKeyPrefix(`USER#${user.id}`)).toEqual([]);
    expect(await setup.itemsWithKeyPrefix(`EMAIL#${moved}`)).toEqual([]);

    const requests = events.filter((event) => event.type === "request");
    expect(requests.length).toBeGreaterThan(10);
    expect(requests.filter((event) => event.command === "TransactWriteCommand")).toEqual([]);
    expect(requests.filter((event) => event.region !== "eu-west-1")).toEqual([]);
  });
});

describe("strong consistency repairs", () => {
  const setup = useAdapterTable({});

  it("stale email and account look-ups are taken over", async () => {
    const { document, names } = setup.table();
    const adapter = setup.adapter({
      clock: testClock(),
      global: { regions: ["us-east-1", "eu-west-1", "ap-southeast-2"], localRegion: "us-east-1", consistency: "strong", createClient: () => document },
    });

    // What a crash between the two writes leaves behind: look-up items whose user or account is missing.
    await document.put({ TableName: names.tableName, Item: { pk: "EMAIL#stale@example.test", sk: "EMAIL#stale@example.test", type: "EMAIL", email: "stale@example.test", userId: "crashed-user", claimedAt: fixedNow - 120_000 } });
    await document.put({ TableName: names.tableName, Item: { pk: "LINK#github#stale-account", sk: "LINK#github#stale-account", type: "LINK", provider: "github", providerAccountId: "stale-account", userId: "crashed-user", claimedAt: fixedNow - 120_000 } });

    const user = await adapter.createUser(newUser({ email: "stale@example.test" }));
    expect((await adapter.getUserByEmail("stale@example.test"))?.id).toBe(user.id);

    const account = newAccount(user.id, { providerAccountId: "stale-account" });
    await adapter.linkAccount(account);
    expect((await adapter.getUserByAccount(account))?.id).toBe(user.id);
    await expect(adapter.linkAccount({ ...account, userId: (await adapter.createUser(newUser())).id })).rejects.toBeInstanceOf(AccountAlreadyLinkedError);
  });
});
