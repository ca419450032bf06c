import { randomUUID } from "node:crypto";
import { DeleteTableCommand, DynamoDBClient, ScanCommand as LowScanCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocument } from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { inject } from "vitest";
import { createTable } from "../../src/provisioning/create-table.js";
import type { ResolvedTableOptions, TableOptions } from "../../src/table-options.js";
import { defaultTableOptions } from "../../src/table-options.js";
import { localCredentials } from "./dynamodb-local.js";

/** Key names that differ from every default, so a hard-coded name shows up as a failure. */
export const customTableOptions = {
  partitionKey: "hashKey",
  sortKey: "rangeKey",
  indexName: "byLookup",
  indexPartitionKey: "lookupHash",
  indexSortKey: "lookupRange",
} as const satisfies TableOptions;

/** The two key-name layouts every integration suite runs with. */
export const keyLayouts = [
  { name: "default key names", options: {} as TableOptions },
  { name: "custom key names", options: customTableOptions as TableOptions },
] as const;

export interface TestTable {
  readonly client: DynamoDBClient;
  readonly document: DynamoDBDocument;
  readonly names: ResolvedTableOptions;
  /** Every item in the table, read with a consistent scan. */
  scanAll(): Promise<Record<string, unknown>[]>;
  drop(): Promise<void>;
}

/** Builds a low-level client for DynamoDB Local in one region database. */
export function localClient(region = "us-east-1", endpoint = inject("dynamoEndpoint")): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region, credentials: localCredentials });
}

/** Creates a fresh table with a unique name on the run's DynamoDB Local. */
export async function createTestTable(options: TableOptions = {}, region = "us-east-1"): Promise<TestTable> {
  const client = localClient(region);
  const document = DynamoDBDocument.from(client);
  const names = { ...defaultTableOptions, ...options, tableName: `test-${randomUUID()}` };

  await createTable(client, names);

  return {
    client,
    document,
    names,
    async scanAll() {
      const items: Record<string, unknown>[] = [];
      let startKey: Record<string, any> | undefined;
      do {
        const page = await client.send(new LowScanCommand({ TableName: names.tableName, ConsistentRead: true, ExclusiveStartKey: startKey }));
        for (const item of page.Items ?? []) items.push(unmarshall(item));
        startKey = page.LastEvaluatedKey;
      } while (startKey !== undefined);
      return items;
    },
    async drop() {
      await client.send(new DeleteTableCommand({ TableName: names.tableName }));
      client.destroy();
    },
  };
}
