import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocument } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { buildCreateTableInput } from "../../src/provisioning/index.js";
import { defaultTableOptions } from "../../src/table-options.js";
import { DynamoDBAdapter, InvalidInputError, InvalidOptionError, ItemTooLargeError, TableSchemaError } from "../../src/index.js";
import { useAdapterTable } from "../support/adapter-table.js";
import { localCredentials } from "../support/dynamodb-local.js";
import { fixedNow, newAccount, newUser } from "../support/fixtures.js";
import { keyLayouts, localClient } from "../support/tables.js";

describe("client and option checks", () => {
  const document = DynamoDBDocument.from(new DynamoDBClient({ endpoint: "http://127.0.0.1:1", region: "us-east-1", credentials: localCredentials }));

  it("low-level DynamoDBClient is rejected", () => {
    const lowLevel = new DynamoDBClient({ endpoint: "http://127.0.0.1:1", region: "us-east-1", credentials: localCredentials });
    expect(() => DynamoDBAdapter(lowLevel as never)).toThrow(
      "Expected option `client` to be a DynamoDBDocument or DynamoDBDocumentClient, but this is a low-level DynamoDBClient; wrap it with `DynamoDBDocument.from(client)` from @aws-sdk/lib-dynamodb, got an instance of DynamoDBClient.",
    );
  });

  it("aws-sdk v2 style client is rejected", () => {
    const v2Like = { service: {}, get: () => ({ promise: async () => ({}) }) };
    expect(() => DynamoDBAdapter(v2Like as never)).toThrow(InvalidOptionError);
    expect(() => DynamoDBAdapter(v2Like as never)).toThrow(/looks like an aws-sdk v2 client/);
  });

  it("unknown option is rejected", () => {
    expect(() => DynamoDBAdapter(document, { tablename: "x" } as never)).toThrow(
      "Expected option `tablename` to be one of the known options (tableName, partitionKey, sortKey, indexName, indexPartitionKey, indexSortKey, cache, global, retry, legacyLookups, clock, onEvent); remove `tablename`, got \"x\".",
    );
  });

  it("invalid table and key names are rejected", () => {
    expect(() => DynamoDBAdapter(document, { tableName: "a" })).toThrow("Expected option `tableName` to be 3 to 255 characters of letters, digits, `_`, `-` or `.`, got \"a\".");
    expect(() => DynamoDBAdapter(document, { partitionKey: "" })).toThrow("Expected option `partitionKey` to be a non-empty attribute name of at most 255 bytes, got \"\".");
    expect(() => DynamoDBAdapter(document, { partitionKey: "k", sortKey: "k" })).toThrow(InvalidOptionError);
    expect(() => DynamoDBAdapter(document, { retry: { retries: -1 } })).toThrow("Expected option `retry.retries` to be a whole number from 0 to 20, got -1.");
  });
});

describe("table checks", () => {
  it("missing table gives a schema error", async () => {
    const adapter = DynamoDBAdapter(DynamoDBDocument.from(localClient()), { tableName: "no-such-table", cache: false });
    await expect(adapter.getUser?.("someone")).rejects.toThrow(
      'Table "no-such-table": the table was not found. Create it with `npx authjs-dynamodb-global create-table --table no-such-table` or set the tableName option.',
    );
  });
});

describe.each(keyLayouts)("bad input ($name)", ({ options }) => {
  const setup = useAdapterTable(options);

  it("missing index gives a schema error", async () => {
    const adapter = setup.adapter({ indexName: "NoSuchIndex" });
    await expect(adapter.getUserByEmail("legacy@example.test")).rejects.toBeInstanceOf(TableSchemaError);
  });

  it("field named like a key attribute is rejected", async () => {
    const adapter = setup.adapter();
    const { names } = setup.table();
    const before = await setup.table().scanAll();

    for (const field of [names.partitionKey, names.sortKey, names.indexPartitionKey, names.indexSortKey, "type"]) {
      await expect(adapter.createUser(newUser({ [field]: "boom" } as never))).rejects.toThrow(
        `The user field \`${field}\` has the name of a key or marker attribute of the table, so storing it would corrupt the item. Rename or drop the field (for a user, in the Auth.js \`profile\` callback), or configure other key names in the adapter options.`,
      );
    }

    const user = await adapter.createUser(newUser());
    await expect(adapter.updateUser({ id: user.id, [names.sortKey]: "x" } as never)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(adapter.linkAccount(newAccount(user.id, { [names.partitionKey]: "x" } as never))).rejects.toBeInstanceOf(InvalidInputError);
    expect(await setup.table().scanAll()).toHaveLength(before.length + 2);
  });

  it("odd attribute names are stored faithfully", async () => {
    const adapter = setup.adapter();
    const user = await adapter.createUser(newUser({ "first-name": "Ada", "a.b": 1, "with space": true, nested: { "x-y": [1, "two", null] } } as never));

    expect(await adapter.getUser(user.id)).toEqual(user);
    const updated = await adapter.updateUser({ id: user.id, "first-name": "Grace", "with space": false } as never);
    expect(updated).toEqual({ ...user, "first-name": "Grace", "with space": false });
  });

  it("undefined fields are dropped and empty strings kept", async () => {
    const adapter = setup.adapter();
    const user = await adapter.createUser(newUser({ name: undefined, image: "", nested: { gone: undefined, kept: "" } } as never));
    const read = (await adapter.getUser(user.id)) as unknown as Record<string, unknown>;

    expect(read).not.toHaveProperty("name");
    expect(read.image).toBe("");
    expect(read.nested).toEqual({ kept: "" });
    await expect(adapter.createUser(newUser({ list: [1, undefined] } as never))).rejects.toThrow("`user.list[1]` is undefined; DynamoDB lists cannot hold it. Use null or remove the element.");
    await expect(adapter.createUser(newUser({ score: Number.NaN } as never))).rejects.toThrow("`user.score` is NaN; DynamoDB stores only finite numbers. Store it as a string or drop it.");
  });

  it("user without email is stored", async () => {
    const adapter = setup.adapter();
    const user = await adapter.createUser(newUser({ email: "" }));
    expect(await adapter.getUser(user.id)).toEqual(user);
    expect(await adapter.getUserByEmail("")).toBeNull();
  });

  it("item past 400 KB is rejected before writing", async () => {
    const adapter = setup.adapter();
    const before = await setup.table().scanAll();

    await expect(adapter.createUser(newUser({ image: "i".repeat(410 * 1024) }))).rejects.toBeInstanceOf(ItemTooLargeError);
    const user = await adapter.createUser(newUser({ image: "i".repeat(390 * 1024) }));
    expect((await adapter.getUser(user.id))?.image).toHaveLength(390 * 1024);
    await expect(adapter.updateUser({ id: user.id, name: "n".repeat(20 * 1024) })).rejects.toBeInstanceOf(ItemTooLargeError);
    expect((await adapter.getUser(user.id))?.name).toBe(user.name);
    expect(await setup.table().scanAll()).toHaveLength(before.length + 2);
  });

  it("malformed verification token look-ups return null", async () => {
    const adapter = setup.adapter({ clock: { now: () => fixedNow } });
    expect(await adapter.useVerificationToken({ identifier: "", token: "x" })).toBeNull();
    expect(await adapter.useVerificationToken({ identifier: "a@example.test", token: "t".repeat(5000) })).toBeNull();
    await expect(adapter.createVerificationToken({ identifier: "", token: "x", expires: new Date(fixedNow) })).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe("index projection check", () => {
  it("keys-only index gives a schema error", async () => {
    const client = localClient();
    const names = { ...defaultTableOptions, tableName: `keys-only-${Date.now()}` };
    const input = buildCreateTableInput(names);
    const keysOnly = { ...input, GlobalSecondaryIndexes: (input.GlobalSecondaryIndexes ?? []).map((index) => ({ ...index, Projection: { ProjectionType: "KEYS_ONLY" as const } })) };
    await client.send(new CreateTableCommand(keysOnly));

    try {
      const document = DynamoDBDocument.from(client);
      const email = "legacy@example.test";
      await document.put({ TableName: names.tableName, Item: { pk: "USER#old", sk: "USER#old", GSI1PK: `USER#${email}`, GSI1SK: `USER#${email}`, type: "USER", id: "old", email } });

      const adapter = DynamoDBAdapter(document, { tableName: names.tableName, cache: false });
      await expect(adapter.getUserByEmail?.(email)).rejects.toThrow(
        `Table "${names.tableName}": the index GSI1 does not project the items' attributes. The adapter needs an index with projection ALL; create the table with \`npx authjs-dynamodb-global create-table\` or recreate the index.`,
      );
    } finally {
      await client.send(new DeleteTableCommand({ TableName: names.tableName }));
    }
  });
});
