import { DynamoDBAdapter as OfficialAdapter } from "@auth/dynamodb-adapter";
import type { Adapter } from "@auth/core/adapters";
import { DynamoDBClient, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocument } from "@aws-sdk/lib-dynamodb";
import { afterEach, describe, expect, it } from "vitest";
import {
  DynamoDBAdapter,
  EmailInUseError,
  InvalidInputError,
  InvalidOptionError,
  NotFoundError,
  TableSchemaError,
  isAdapterError,
  type DynamoDBAdapterOptions,
} from "../../src/index.js";
import { useAdapterTable, type FullAdapter } from "../support/adapter-table.js";
import { localCredentials } from "../support/dynamodb-local.js";
import { fixedNow, newAccount, newAuthenticator, newSessionToken, newUser, testClock } from "../support/fixtures.js";
import { keyLayouts, localClient } from "../support/tables.js";

const day = 24 * 60 * 60 * 1000;

/** Regions of a strong-consistency adapter. One DynamoDB Local database is the table of all of them. */
const strongRegions = ["us-east-1", "eu-west-1", "ap-southeast-2"];

interface RequestHook {
  readonly command: string;
  readonly match: (input: unknown) => boolean;
  readonly run: () => Promise<void>;
}

/**
 * Builds a DocumentClient over the run's DynamoDB Local that runs a hook
 * after DynamoDB responded to one chosen request and before the adapter reads
 * the response, so a race between two adapter calls happens at that step.
 */
function hookedDocument() {
  const client = localClient();
  const hooks: RequestHook[] = [];

  client.middlewareStack.add(
    (next, context) => async (args) => {
      const index = hooks.findIndex((hook) => hook.command === context.commandName && hook.match(args.input));
      const [hook] = index === -1 ? [] : hooks.splice(index, 1);
      const output = await next(args);
      await hook?.run();
      return output;
    },
    { step: "initialize", name: "raceHook" },
  );

  return {
    document: DynamoDBDocument.from(client),
    /** Runs `run` once, right after the next `command` whose input contains `marker`. */
    afterNext(command: string, marker: string, run: () => Promise<void>) {
      hooks.push({ command, match: (input) => JSON.stringify(input).includes(marker), run });
    },
    destroy: () => client.destroy(),
  };
}

/** Builds a DocumentClient that fails every request that `matches` with `error()` before sending it. */
function faultyDocument(matches: (command: string, input: string) => boolean, error: () => Error, region = "us-east-1") {
  const client = localClient(region);
  let failures = 0;

  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!matches(String(context.commandName), JSON.stringify(args.input))) return next(args);
      failures += 1;
      throw error();
    },
    { step: "initialize", name: "injectedFault" },
  );

  return { document: DynamoDBDocument.from(client), failures: () => failures, destroy: () => client.destroy() };
}

describe.each(keyLayouts)("deleteUser races ($name)", ({ options }) => {
  const setup = useAdapterTable(options);
  const cleanups: Array<() => void> = [];

  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  function deletingAdapter() {
    const hooked = hookedDocument();
    cleanups.push(hooked.destroy);
    const adapter = DynamoDBAdapter(hooked.document, { ...options, tableName: setup.table().names.tableName, cache: false }) as FullAdapter;
    return { adapter, hooked };
  }

  it("deleteUser racing linkAccount leaves no account", async () => {
    const adapter = setup.adapter();
    const { adapter: deleting, hooked } = deletingAdapter();
    const { names } = setup.table();
    const user = await adapter.createUser(newUser());
    const account = newAccount(user.id);

    // The link lands after deleteUser read the user's partition and before it deletes the user.
    // A fixed deleteUser may make the link fail instead, which is as good.
    hooked.afterNext("QueryCommand", `USER#${user.id}`, async () => {
      await Promise.allSettled([adapter.linkAccount(account)]);
    });
    await deleting.deleteUser(user.id);

    const leftovers = (await setup.table().scanAll()).filter((item) => item.userId === user.id || String(item[names.partitionKey]) === `USER#${user.id}`);
    expect(leftovers).toEqual([]);

    const next = await adapter.createUser(newUser());
    await expect(adapter.linkAccount({ ...account, userId: next.id })).resolves.toMatchObject({ userId: next.id });
  });

  it("deleteUser racing an email change frees the email", async () => {
    const adapter = setup.adapter();
    const { adapter: deleting, hooked } = deletingAdapter();
    const user = await adapter.createUser(newUser());
    const moved = `moved-${user.id}@example.test`;

    hooked.afterNext("QueryCommand", `USER#${user.id}`, async () => {
      await Promise.allSettled([adapter.updateUser({ id: user.id, email: moved })]);
    });
    await deleting.deleteUser(user.id);

    expect((await setup.table().scanAll()).filter((item) => item.email === moved)).toEqual([]);
    await expect(adapter.createUser(newUser({ email: moved }))).resolves.toMatchObject({ email: moved });
  });
});

describe.each(keyLayouts)("email uniqueness against old items ($name)", ({ options }) => {
  const setup = useAdapterTable(options);

  it("updateUser to an official adapter user's email is rejected", async () => {
    const adapter = setup.adapter();
    const official = OfficialAdapter(setup.table().document, { ...options, tableName: setup.table().names.tableName }) as Required<Adapter>;
    const old = await official.createUser(newUser());
    const other = await adapter.createUser(newUser());

    await expect(adapter.updateUser({ id: other.id, email: old.email })).rejects.toBeInstanceOf(EmailInUseError);
    expect((await setup.table().scanAll()).filter((item) => item.type === "USER" && item.email === old.email)).toHaveLength(1);
  });
});

describe.each(keyLayouts)("strong consistency races ($name)", ({ options }) => {
  const setup = useAdapterTable(options);
  const cleanups: Array<() => void> = [];

  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  function strongAdapter(document = setup.table().document): FullAdapter {
    return setup.adapter({
      clock: testClock(),
      global: { regions: strongRegions, localRegion: "eu-west-1", consistency: "strong", clients: { "eu-west-1": document }, createClient: () => setup.table().document },
    });
  }

  function hookedStrongAdapter() {
    const hooked = hookedDocument();
    cleanups.push(hooked.destroy);
    return { adapter: strongAdapter(hooked.document), hooked };
  }

  it("racing createUser with one email makes one user", async () => {
    const { adapter: first, hooked } = hookedStrongAdapter();
    const second = strongAdapter();
    const email = `strong-race-${newSessionToken()}@example.test`;
    let secondResult: PromiseSettledResult<unknown> | undefined;

    // The second sign-up runs after the first claimed the email and before it wrote its user.
    hooked.afterNext("PutItemCommand", `EMAIL#${email}`, async () => {
      [secondResult] = await Promise.allSettled([second.createUser(newUser({ email }))]);
    });
    const [firstResult] = await Promise.allSettled([first.createUser(newUser({ email }))]);

    const users = (await setup.table().scanAll()).filter((item) => item.type === "USER" && item.email === email);
    expect(users).toHaveLength(1);
    expect([firstResult?.status, secondResult?.status].filter((status) => status === "fulfilled")).toHaveLength(1);
  });

  it("racing linkAccount links the account once", async () => {
    const { adapter: first, hooked } = hookedStrongAdapter();
    const second = strongAdapter();
    const [one, two] = await Promise.all([second.createUser(newUser()), second.createUser(newUser())]);
    const account = newAccount(one?.id as string);

    hooked.afterNext("PutItemCommand", "LINK#", async () => {
      await Promise.allSettled([second.linkAccount({ ...account, userId: two?.id as string })]);
    });
    await Promise.allSettled([first.linkAccount(account)]);

    const linked = (await setup.table().scanAll()).filter((item) => item.providerAccountId === account.providerAccountId && item.access_token !== undefined);
    expect(linked).toHaveLength(1);
  });

  it("createAuthenticator for a missing user is rejected", async () => {
    const adapter = strongAdapter();
    const authenticator = newAuthenticator(`missing-${newSessionToken()}`);

    await expect(adapter.createAuthenticator(authenticator)).rejects.toBeInstanceOf(NotFoundError);
    expect((await setup.table().scanAll()).filter((item) => item.credentialID === authenticator.credentialID)).toEqual([]);
  });
});

describe("typed errors", () => {
  const setup = useAdapterTable({});
  const cleanups: Array<() => void> = [];

  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  function adapterOver(document: DynamoDBDocument, options: DynamoDBAdapterOptions = {}): FullAdapter {
    return DynamoDBAdapter(document, { tableName: setup.table().names.tableName, cache: false, ...options }) as FullAdapter;
  }

  it("transaction conflicts past the retry bound give a typed error", async () => {
    const conflict = () =>
      new TransactionCanceledException({
        message: "Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict, None]",
        $metadata: {},
        CancellationReasons: [{ Code: "TransactionConflict" }, { Code: "None" }],
      });
    const faulty = faultyDocument((command) => command === "TransactWriteItemsCommand", conflict);
    cleanups.push(faulty.destroy);
    const adapter = adapterOver(faulty.document, { retry: { retries: 1, minTimeout: 0, maxTimeout: 0 } });

    const error = await Promise.resolve(adapter.createUser(newUser())).catch((caught: unknown) => caught);
    expect(faulty.failures()).toBe(2);
    expect((error as Error).name).toBe("RetriesExhaustedError");
    expect(isAdapterError(error, "RetriesExhausted")).toBe(true);
  });

  it("key names that do not match the table give TableSchemaError", async () => {
    const adapter = setup.adapter({ partitionKey: "hashKey", sortKey: "rangeKey" });
    await expect(adapter.getUser("someone")).rejects.toBeInstanceOf(TableSchemaError);
  });

  it("empty Set in a user gives InvalidInputError", async () => {
    const adapter = setup.adapter();
    await expect(adapter.createUser(newUser({ tags: new Set() } as never))).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("number past MAX_SAFE_INTEGER gives InvalidInputError", async () => {
    const adapter = setup.adapter();
    await expect(adapter.createUser(newUser({ githubId: 2 ** 60 } as never))).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("throwing onEvent listener does not fail a session look-up", async () => {
    const writer = setup.adapter({ clock: testClock() });
    const user = await writer.createUser(newUser());
    const sessionToken = newSessionToken();
    await writer.createSession({ sessionToken, userId: user.id, expires: new Date(fixedNow + day) });

    const reader = setup.adapter({
      clock: testClock(),
      cache: {},
      onEvent: () => {
        throw new Error("metrics exporter is down");
      },
    });
    expect((await reader.getSessionAndUser(sessionToken))?.session.sessionToken).toBe(sessionToken);
  });

  it("long user id is readable after createUser", async () => {
    const adapter = setup.adapter();
    const id = "u".repeat(1010);
    const tooLong = "u".repeat(1020);

    const created = await adapter.createUser(newUser({ id }));
    expect(await adapter.getUser(id)).toEqual(created);
    await expect(adapter.createUser(newUser({ id: tooLong }))).rejects.toBeInstanceOf(InvalidInputError);
    expect(await adapter.getUser(tooLong)).toBeNull();
  });
});

describe("option and operation names in messages", () => {
  const setup = useAdapterTable({});
  const cleanups: Array<() => void> = [];

  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  it("createClient returning a low-level client names createClient", () => {
    const document = DynamoDBDocument.from(new DynamoDBClient({ endpoint: "http://127.0.0.1:1", region: "us-east-1", credentials: localCredentials }));
    const lowLevel = new DynamoDBClient({ endpoint: "http://127.0.0.1:1", region: "eu-west-1", credentials: localCredentials });

    let error: unknown;
    try {
      DynamoDBAdapter(document, { global: { regions: ["us-east-1", "eu-west-1"], localRegion: "us-east-1", createClient: () => lowLevel as never } });
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).option).toBe("global.createClient");
  });

  it("deleteUser failure on the email item names deleteUser", async () => {
    const timeout = () => Object.assign(new Error("Socket timed out without establishing a connection"), { name: "TimeoutError" });
    const failing = faultyDocument((command, input) => command !== "GetItemCommand" && input.includes("EMAIL#"), timeout);
    cleanups.push(failing.destroy);
    const { document } = setup.table();
    const user = await setup.adapter().createUser(newUser());

    // Only writes of the email look-up item fail, so the error comes from the step that releases the email.
    const adapter = setup.adapter({
      global: { regions: ["us-east-1", "eu-west-1"], localRegion: "us-east-1", clients: { "us-east-1": failing.document, "eu-west-1": document } },
    });
    await expect(adapter.deleteUser(user.id)).rejects.toThrow(/^deleteUser needs region us-east-1/);
  });
});
