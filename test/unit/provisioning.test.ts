import { DynamoDBClient, type TableDescription } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { mockClient, type AwsStub } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidOptionError } from "../../src/errors/index.js";
import { buildCreateTableInput, createTable, type CreateTableOptions } from "../../src/provisioning/create-table.js";
import { checkTableSchema, describeSchemaProblems, findSchemaProblems, formatCommandLine } from "../../src/provisioning/schema.js";
import { buildExpiredDeleteInput, buildSweepScanInput, parseExpiry, sweepExpired, type SweepExpiredOptions } from "../../src/provisioning/sweep-expired.js";
import { verifyTable } from "../../src/provisioning/verify-table.js";
import { findPendingParts } from "../../src/provisioning/wait.js";
import { defaultTableOptions, resolveTableOptions } from "../../src/table-options.js";
import { localCredentials } from "../support/dynamodb-local.js";
import { customTableOptions } from "../support/tables.js";
import { expectRejection } from "../support/assertions.js";

const defaultNames = defaultTableOptions;
const customNames = resolveTableOptions({ ...customTableOptions, tableName: "custom-table" });

/** Builds the description of a table exactly as buildCreateTableInput requests it. */
function fittingTable(names = defaultNames): TableDescription {
  const input = buildCreateTableInput(names);
  return {
    TableName: input.TableName,
    TableStatus: "ACTIVE",
    AttributeDefinitions: input.AttributeDefinitions,
    KeySchema: input.KeySchema,
    GlobalSecondaryIndexes: input.GlobalSecondaryIndexes?.map((index) => ({ ...index, IndexStatus: "ACTIVE" })),
  };
}

describe("buildCreateTableInput", () => {
  it("default key names", () => {
    expect(buildCreateTableInput(defaultNames)).toEqual({
      TableName: "next-auth",
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "S" },
        { AttributeName: "GSI1PK", AttributeType: "S" },
        { AttributeName: "GSI1SK", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: "GSI1",
          KeySchema: [
            { AttributeName: "GSI1PK", KeyType: "HASH" },
            { AttributeName: "GSI1SK", KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "ALL" },
        },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
    });
  });

  it("custom key names", () => {
    expect(buildCreateTableInput(customNames)).toEqual({
      TableName: "custom-table",
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "hashKey", AttributeType: "S" },
        { AttributeName: "rangeKey", AttributeType: "S" },
        { AttributeName: "lookupHash", AttributeType: "S" },
        { AttributeName: "lookupRange", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "hashKey", KeyType: "HASH" },
        { AttributeName: "rangeKey", KeyType: "RANGE" },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: "byLookup",
          KeySchema: [
            { AttributeName: "lookupHash", KeyType: "HASH" },
            { AttributeName: "lookupRange", KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "ALL" },
        },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
    });
  });
});

describe("checkTableSchema", () => {
  it("fitting table has no problems", () => {
    expect(checkTableSchema(fittingTable(), defaultNames)).toEqual([]);
    expect(checkTableSchema(fittingTable(customNames), customNames)).toEqual([]);
  });

  it("partition key name differs", () => {
    const table = { ...fittingTable(), KeySchema: [{ AttributeName: "id", KeyType: "HASH" as const }, { AttributeName: "sk", KeyType: "RANGE" as const }] };

    expect(checkTableSchema(table, defaultNames)).toEqual([
      {
        kind: "partition-key",
        message: 'partition key is "id", expected "pk"',
        fix: 'For the partition key, set the option partitionKey to "id" (--partition-key id) if the table is right, or use a table created with these options.',
      },
    ]);
  });

  it("sort key missing", () => {
    const table = { ...fittingTable(), KeySchema: [{ AttributeName: "pk", KeyType: "HASH" as const }] };

    expect(checkTableSchema(table, defaultNames)).toEqual([
      { kind: "sort-key", message: 'sort key is missing, expected "sk"', fix: "For the sort key, use a table created with these options." },
    ]);
  });

  it("key attribute of number type", () => {
    const table = { ...fittingTable(), AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "N" as const }] };

    expect(checkTableSchema(table, defaultNames)).toEqual([
      {
        kind: "key-type",
        message: 'key attribute "pk" has type N, expected S (string)',
        fix: "DynamoDB cannot change the type of a key attribute, so create a new table.",
      },
    ]);
  });

  it("index missing names existing indexes", () => {
    expect(checkTableSchema(fittingTable(), { ...defaultNames, indexName: "byLookup" })).toEqual([
      {
        kind: "index-missing",
        message: 'global secondary index "byLookup" is missing (the table has "GSI1")',
        fix:
          "Add the index with UpdateTable (partition key GSI1PK and sort key GSI1SK, both of type S, projection ALL), " +
          "or set the option indexName (--index-name) to the index the table has.",
      },
    ]);
  });

  it("index missing on table without indexes", () => {
    const { GlobalSecondaryIndexes: _, ...table } = fittingTable();

    expect(findSchemaProblems(table, defaultNames)).toEqual(['global secondary index "GSI1" is missing']);
  });

  it("index key names differ", () => {
    const table = fittingTable();
    table.GlobalSecondaryIndexes = [
      {
        IndexName: "GSI1",
        KeySchema: [
          { AttributeName: "gsi1pk", KeyType: "HASH" },
          { AttributeName: "gsi1sk", KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      },
    ];

    expect(checkTableSchema(table, defaultNames).map((problem) => [problem.kind, problem.message])).toEqual([
      ["index-partition-key", 'index "GSI1" partition key is "gsi1pk", expected "GSI1PK"'],
      ["index-sort-key", 'index "GSI1" sort key is "gsi1sk", expected "GSI1SK"'],
    ]);
    expect(checkTableSchema(table, defaultNames)[0]?.fix).toBe(
      'For the index "GSI1" partition key, set the option indexPartitionKey to "gsi1pk" (--index-partition-key gsi1pk) if the table is right, ' +
        "or use a table created with these options.",
    );
  });

  it("index projection not ALL", () => {
    const table = fittingTable();
    const index = table.GlobalSecondaryIndexes?.[0];
    if (index === undefined) throw new Error("fittingTable has no index");
    index.Projection = { ProjectionType: "KEYS_ONLY" };

    expect(checkTableSchema(table, defaultNames)).toEqual([
      {
        kind: "index-projection",
        message: 'index "GSI1" projects KEYS_ONLY, expected ALL',
        fix: "DynamoDB cannot change the projection of an index, so delete the index and create it again with projection ALL.",
      },
    ]);
  });

  it("describeSchemaProblems lists differences then distinct fixes", () => {
    const table = fittingTable(customNames);

    expect(describeSchemaProblems(checkTableSchema(table, { ...defaultNames, tableName: "custom-table", indexName: "byLookup" }))).toBe(
      'partition key is "hashKey", expected "pk", sort key is "rangeKey", expected "sk", ' +
        'index "byLookup" partition key is "lookupHash", expected "GSI1PK", index "byLookup" sort key is "lookupRange", expected "GSI1SK". ' +
        'For the partition key, set the option partitionKey to "hashKey" (--partition-key hashKey) if the table is right, or use a table created with these options. ' +
        'For the sort key, set the option sortKey to "rangeKey" (--sort-key rangeKey) if the table is right, or use a table created with these options. ' +
        'For the index "byLookup" partition key, set the option indexPartitionKey to "lookupHash" (--index-partition-key lookupHash) if the table is right, ' +
        "or use a table created with these options. " +
        'For the index "byLookup" sort key, set the option indexSortKey to "lookupRange" (--index-sort-key lookupRange) if the table is right, ' +
        "or use a table created with these options.",
    );
  });
});

describe("formatCommandLine", () => {
  it("names only non-default options", () => {
    expect(formatCommandLine("create-table", defaultNames)).toBe("npx authjs-dynamodb-global create-table --table next-auth");
    expect(formatCommandLine("sweep-expired", { ...defaultNames, sortKey: "rangeKey" })).toBe(
      "npx authjs-dynamodb-global sweep-expired --table next-auth --sort-key rangeKey",
    );
    expect(formatCommandLine("create-table", customNames, "eu-west-1")).toBe(
      "npx authjs-dynamodb-global create-table --table custom-table --partition-key hashKey --sort-key rangeKey " +
        "--index-name byLookup --index-partition-key lookupHash --index-sort-key lookupRange --region eu-west-1",
    );
  });
});

describe("findPendingParts", () => {
  it("lists every part not ACTIVE", () => {
    const table: TableDescription = {
      TableStatus: "UPDATING",
      GlobalSecondaryIndexes: [{ IndexName: "GSI1", IndexStatus: "CREATING" }],
      Replicas: [
        { RegionName: "us-east-1", ReplicaStatus: "ACTIVE" },
        { RegionName: "eu-west-1", ReplicaStatus: "CREATING" },
      ],
      GlobalTableWitnesses: [{ RegionName: "us-west-2", WitnessStatus: "CREATING" }],
    };

    expect(findPendingParts(table)).toEqual(["table UPDATING", "index GSI1 CREATING", "replica eu-west-1 CREATING", "witness us-west-2 CREATING"]);
  });

  it("returns nothing for an ACTIVE table", () => {
    expect(findPendingParts(fittingTable())).toEqual([]);
  });
});

describe("parseExpiry", () => {
  it("reads numbers as epoch seconds", () => {
    expect(parseExpiry(1_700_000_000)).toBe(1_700_000_000_000);
  });

  it("reads ISO strings as dates", () => {
    expect(parseExpiry("2023-11-14T22:13:20.000Z")).toBe(1_700_000_000_000);
    expect(parseExpiry("2023-11-14T23:13:20+01:00")).toBe(1_700_000_000_000);
  });

  it("returns undefined for values that are no expiry", () => {
    expect(parseExpiry("next week")).toBeUndefined();
    expect(parseExpiry(Number.NaN)).toBeUndefined();
    expect(parseExpiry(null)).toBeUndefined();
    expect(parseExpiry({ seconds: 1 })).toBeUndefined();
  });
});

describe("sweep request builders", () => {
  it("scan filters on sort key prefixes and expiry", () => {
    expect(buildSweepScanInput(customNames, "validUntil", { hashKey: "a", rangeKey: "b" })).toEqual({
      TableName: "custom-table",
      ConsistentRead: true,
      FilterExpression:
        "(begins_with(#sortKey, :prefix0) OR begins_with(#sortKey, :prefix1) OR begins_with(#sortKey, :prefix2)) AND attribute_exists(#expires)",
      ProjectionExpression: "#partitionKey, #sortKey, #expires",
      ExpressionAttributeNames: { "#partitionKey": "hashKey", "#sortKey": "rangeKey", "#expires": "validUntil" },
      ExpressionAttributeValues: { ":prefix0": "SESSION#", ":prefix1": "VT#", ":prefix2": "VR#" },
      ExclusiveStartKey: { hashKey: "a", rangeKey: "b" },
    });
  });

  it("first scan page has no start key", () => {
    expect(buildSweepScanInput(defaultNames, "expires")).not.toHaveProperty("ExclusiveStartKey");
  });

  it("delete is conditional on the scanned expiry", () => {
    const item = { hashKey: "SESSION#abc", rangeKey: "SESSION#abc", validUntil: 1_700_000_000 };

    expect(buildExpiredDeleteInput(customNames, "validUntil", item)).toEqual({
      TableName: "custom-table",
      Key: { hashKey: "SESSION#abc", rangeKey: "SESSION#abc" },
      ConditionExpression: "#expires = :expires",
      ExpressionAttributeNames: { "#expires": "validUntil" },
      ExpressionAttributeValues: { ":expires": 1_700_000_000 },
    });
  });
});


describe("provisioning option validation", () => {
  let client: DynamoDBClient;
  let stub: AwsStub<any, any, any>;

  beforeEach(() => {
    // The client never reaches this endpoint: aws-sdk-client-mock replaces `send`.
    client = new DynamoDBClient({ region: "us-east-1", endpoint: "http://127.0.0.1:9", credentials: localCredentials });
    stub = mockClient(client);
  });

  afterEach(() => {
    stub.restore();
    client.destroy();
  });

  const createTableCases: { name: string; options: Record<string, unknown>; message: string }[] = [
    {
      name: "unknown option",
      options: { tabelName: "sessions" },
      message:
        "Expected option `tabelName` to be a known option name (createTable accepts tableName, partitionKey, sortKey, indexName, " +
        'indexPartitionKey, indexSortKey, maxWaitSeconds, pollIntervalSeconds, sleep, ttlAttribute, timeToLive, onProgress), got "sessions".',
    },
    {
      name: "invalid table name",
      options: { tableName: "my table" },
      message: 'Expected option `tableName` to be 3 to 255 characters of letters, digits, `_`, `-` or `.`, got "my table".',
    },
    {
      name: "empty ttlAttribute",
      options: { ttlAttribute: "" },
      message: 'Expected option `ttlAttribute` to be a non-empty attribute name of at most 255 bytes other than the key attributes (pk, sk, GSI1PK, GSI1SK), got "".',
    },
    {
      name: "ttlAttribute naming a key",
      options: { ttlAttribute: "GSI1SK" },
      message:
        'Expected option `ttlAttribute` to be a non-empty attribute name of at most 255 bytes other than the key attributes (pk, sk, GSI1PK, GSI1SK), got "GSI1SK".',
    },
    {
      name: "timeToLive not boolean",
      options: { timeToLive: "no" },
      message: 'Expected option `timeToLive` to be true or false, got "no".',
    },
    {
      name: "zero maxWaitSeconds",
      options: { maxWaitSeconds: 0 },
      message: "Expected option `maxWaitSeconds` to be a finite number greater than 0, got 0.",
    },
    {
      name: "infinite pollIntervalSeconds",
      options: { pollIntervalSeconds: Number.POSITIVE_INFINITY },
      message: "Expected option `pollIntervalSeconds` to be a finite number greater than 0, got Infinity.",
    },
    {
      name: "sleep not a function",
      options: { sleep: 5 },
      message: "Expected option `sleep` to be a function, got 5.",
    },
  ];

  for (const testCase of createTableCases) {
    it(`createTable rejects ${testCase.name} before any request`, async () => {
      await expectRejection(createTable(client, testCase.options as CreateTableOptions), InvalidOptionError, testCase.message);
      expect(stub.calls()).toHaveLength(0);
    });
  }

  it("verifyTable rejects unknown option before any request", async () => {
    await expectRejection(
      verifyTable(client, { tableName: "sessions", ttlAttribute: "expires" } as never),
      InvalidOptionError,
      "Expected option `ttlAttribute` to be a known option name (verifyTable accepts tableName, partitionKey, sortKey, indexName, " +
        'indexPartitionKey, indexSortKey), got "expires".',
    );
    expect(stub.calls()).toHaveLength(0);
  });

  const sweepCases: { name: string; options: Record<string, unknown>; message: string }[] = [
    {
      name: "unknown option",
      options: { dryrun: true },
      message:
        "Expected option `dryrun` to be a known option name (sweepExpired accepts tableName, partitionKey, sortKey, indexName, " +
        "indexPartitionKey, indexSortKey, ttlAttribute, now, dryRun, concurrency), got true.",
    },
    {
      name: "fractional concurrency",
      options: { concurrency: 1.5 },
      message: "Expected option `concurrency` to be a whole number greater than 0, got 1.5.",
    },
    {
      name: "now not a function",
      options: { now: 1_700_000_000_000 },
      message: "Expected option `now` to be a function, got 1700000000000.",
    },
    {
      name: "dryRun not boolean",
      options: { dryRun: "yes" },
      message: 'Expected option `dryRun` to be true or false, got "yes".',
    },
  ];

  for (const testCase of sweepCases) {
    it(`sweepExpired rejects ${testCase.name} before any request`, async () => {
      const documentClient = DynamoDBDocumentClient.from(client);
      const documentStub = mockClient(documentClient);

      await expectRejection(sweepExpired(documentClient, testCase.options as SweepExpiredOptions), InvalidOptionError, testCase.message);
      expect(documentStub.calls()).toHaveLength(0);
      documentStub.restore();
    });
  }
});
