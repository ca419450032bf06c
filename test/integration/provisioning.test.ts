import { randomUUID } from "node:crypto";
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TableSchemaError } from "../../src/errors/index.js";
import { buildCreateTableInput, createTable } from "../../src/provisioning/create-table.js";
import type { ProvisioningEvent } from "../../src/provisioning/events.js";
import { verifyTable } from "../../src/provisioning/verify-table.js";
import { defaultTableOptions, resolveTableOptions, type TableOptions } from "../../src/table-options.js";
import { customTableOptions, keyLayouts, localClient } from "../support/tables.js";
import { expectRejection } from "../support/assertions.js";


function uniqueTableName(): string {
  return `provisioning-${randomUUID()}`;
}

describe("provisioning against DynamoDB Local", () => {
  let client: DynamoDBClient;
  const createdTables: string[] = [];

  /** Creates a table outside createTable, to set up tables that differ from what it builds. */
  async function createRawTable(input: ReturnType<typeof buildCreateTableInput>): Promise<string> {
    await client.send(new CreateTableCommand(input));
    createdTables.push(input.TableName ?? "");
    return input.TableName ?? "";
  }

  async function timeToLiveOf(tableName: string) {
    const output = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    return output.TimeToLiveDescription;
  }

  beforeAll(() => {
    client = localClient("us-east-1");
  });

  afterAll(async () => {
    for (const tableName of createdTables) await client.send(new DeleteTableCommand({ TableName: tableName }));
    client.destroy();
  });

  for (const layout of keyLayouts) {
    describe(`createTable with ${layout.name}`, () => {
      let tableName: string;
      const events: ProvisioningEvent[] = [];

      beforeAll(async () => {
        tableName = uniqueTableName();
        const result = await createTable(client, { ...layout.options, tableName, onProgress: (event) => events.push(event) });
        createdTables.push(tableName);

        expect(result).toEqual({ tableName, created: true, timeToLiveEnabled: true });
      });

      it("creates keys, index, billing and stream", async () => {
        const names = resolveTableOptions({ ...layout.options, tableName });
        const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));

        expect(table?.TableStatus).toBe("ACTIVE");
        expect(table?.KeySchema).toEqual([
          { AttributeName: names.partitionKey, KeyType: "HASH" },
          { AttributeName: names.sortKey, KeyType: "RANGE" },
        ]);
        expect(table?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.KeySchema, index.Projection?.ProjectionType])).toEqual([
          [
            names.indexName,
            [
              { AttributeName: names.indexPartitionKey, KeyType: "HASH" },
              { AttributeName: names.indexSortKey, KeyType: "RANGE" },
            ],
            "ALL",
          ],
        ]);
        expect(table?.BillingModeSummary?.BillingMode).toBe("PAY_PER_REQUEST");
        expect(table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" });
      });

      it("enables time to live on expires", async () => {
        const timeToLive = await timeToLiveOf(tableName);

        expect(timeToLive?.TimeToLiveStatus).toBe("ENABLED");
        expect(timeToLive?.AttributeName).toBe("expires");
      });

      it("reports progress in order", () => {
        expect(events).toEqual([
          { type: "table-creating", tableName },
          { type: "table-active", tableName },
          { type: "time-to-live-enabled", tableName, attributeName: "expires" },
        ]);
      });

      it("second call keeps the table", async () => {
        const secondEvents: ProvisioningEvent[] = [];
        const result = await createTable(client, { ...layout.options, tableName, onProgress: (event) => secondEvents.push(event) });

        expect(result).toEqual({ tableName, created: false, timeToLiveEnabled: false });
        expect(secondEvents).toEqual([{ type: "table-exists", tableName }]);
      });

      it("verifyTable accepts the table", async () => {
        const table = await verifyTable(client, { ...layout.options, tableName });

        expect(table.TableName).toBe(tableName);
      });
    });
  }

  it("createTable names each schema difference", async () => {
    const tableName = uniqueTableName();
    await createTable(client, { tableName });
    createdTables.push(tableName);

    await expectRejection(
      createTable(client, { tableName, sortKey: "rangeKey", indexName: "byLookup" }),
      TableSchemaError,
      `Table "${tableName}": exists with another schema than the options describe: ` +
        'sort key is "sk", expected "rangeKey", global secondary index "byLookup" is missing (the table has "GSI1"). ' +
        'For the sort key, set the option sortKey to "sk" (--sort-key sk) if the table is right, or use a table created with these options. ' +
        "Add the index with UpdateTable (partition key GSI1PK and sort key GSI1SK, both of type S, projection ALL), " +
        "or set the option indexName (--index-name) to the index the table has.",
    );
  });

  it("createTable turns time to live on for an existing table", async () => {
    const tableName = await createRawTable(buildCreateTableInput({ ...defaultTableOptions, tableName: uniqueTableName() }));
    expect((await timeToLiveOf(tableName))?.TimeToLiveStatus).toBe("DISABLED");

    const result = await createTable(client, { tableName, ttlAttribute: "validUntil" });

    expect(result).toEqual({ tableName, created: false, timeToLiveEnabled: true });
    expect(await timeToLiveOf(tableName)).toEqual({ TimeToLiveStatus: "ENABLED", AttributeName: "validUntil" });
  });

  it("createTable rejects time to live on another attribute", async () => {
    const tableName = await createRawTable(buildCreateTableInput({ ...defaultTableOptions, tableName: uniqueTableName() }));
    await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: "ttl", Enabled: true } }));

    await expectRejection(
      createTable(client, { tableName }),
      TableSchemaError,
      `Table "${tableName}": time to live is on for attribute "ttl", expected "expires". ` +
        'Set the option ttlAttribute (--ttl-attribute) to "ttl" if the adapter writes expiry there, or turn time to live off and run this again.',
    );
  });

  it("createTable leaves time to live off when asked", async () => {
    const tableName = uniqueTableName();
    const result = await createTable(client, { tableName, timeToLive: false });
    createdTables.push(tableName);

    expect(result).toEqual({ tableName, created: true, timeToLiveEnabled: false });
    expect((await timeToLiveOf(tableName))?.TimeToLiveStatus).toBe("DISABLED");
  });

  it("verifyTable names the create command for a missing table", async () => {
    const tableName = uniqueTableName();

    await expectRejection(
      verifyTable(client, { tableName }),
      TableSchemaError,
      `Table "${tableName}": not found in region us-east-1. ` +
        `Run \`npx authjs-dynamodb-global create-table --table ${tableName} --region us-east-1\` to create it, or set the option tableName to an existing table.`,
    );
    await expectRejection(
      verifyTable(client, { ...customTableOptions, tableName }),
      TableSchemaError,
      `Table "${tableName}": not found in region us-east-1. ` +
        `Run \`npx authjs-dynamodb-global create-table --table ${tableName} --partition-key hashKey --sort-key rangeKey --index-name byLookup ` +
        "--index-partition-key lookupHash --index-sort-key lookupRange --region us-east-1` to create it, or set the option tableName to an existing table.",
    );
  });

  it("verifyTable reports a missing index", async () => {
    const { GlobalSecondaryIndexes: _, ...input } = buildCreateTableInput({ ...defaultTableOptions, tableName: uniqueTableName() });
    const tableName = await createRawTable({ ...input, AttributeDefinitions: input.AttributeDefinitions?.slice(0, 2) });

    await expectRejection(
      verifyTable(client, { tableName }),
      TableSchemaError,
      `Table "${tableName}": has another schema than the adapter options describe: global secondary index "GSI1" is missing. ` +
        "Add the index with UpdateTable (partition key GSI1PK and sort key GSI1SK, both of type S, projection ALL), " +
        "or set the option indexName (--index-name) to the index the table has.",
    );
  });

  it("verifyTable reports a projection other than ALL", async () => {
    const input = buildCreateTableInput({ ...defaultTableOptions, tableName: uniqueTableName() });
    const indexes = input.GlobalSecondaryIndexes?.map((index) => ({ ...index, Projection: { ProjectionType: "KEYS_ONLY" as const } }));
    const tableName = await createRawTable({ ...input, GlobalSecondaryIndexes: indexes });

    await expectRejection(
      verifyTable(client, { tableName }),
      TableSchemaError,
      `Table "${tableName}": has another schema than the adapter options describe: index "GSI1" projects KEYS_ONLY, expected ALL. ` +
        "DynamoDB cannot change the projection of an index, so delete the index and create it again with projection ALL.",
    );
  });

  it("verifyTable reports key names that differ", async () => {
    const tableName = await createRawTable(buildCreateTableInput(resolveTableOptions({ ...customTableOptions, tableName: uniqueTableName() })));
    const options: TableOptions = { tableName, indexName: customTableOptions.indexName };

    await expectRejection(
      verifyTable(client, options),
      TableSchemaError,
      `Table "${tableName}": has another schema than the adapter options describe: ` +
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
