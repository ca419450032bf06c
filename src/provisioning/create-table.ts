import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type DynamoDBClient,
  type TableDescription,
} from "@aws-sdk/client-dynamodb";
import { TableSchemaError } from "../errors/index.js";
import { resolveTableOptions, type ResolvedTableOptions, type TableOptions } from "../table-options.js";

/** Options of {@link createTable}. */
export interface CreateTableOptions extends TableOptions {
  /**
   * Attribute that DynamoDB's time to live reads; the adapter stores expiry in it as epoch seconds.
   * @default "expires"
   */
  readonly ttlAttribute?: string;
  /**
   * Longest time to wait for the table to become ACTIVE, in seconds.
   * @default 300
   */
  readonly maxWaitSeconds?: number;
}

/** What {@link createTable} did. */
export interface CreateTableResult {
  readonly tableName: string;
  readonly created: boolean;
}

/**
 * Creates the table the adapter needs (keys, GSI projecting ALL, on-demand
 * billing, TTL on `expires`) and waits until it is ACTIVE. An existing table
 * with the same schema is left as it is; one with another schema raises
 * {@link TableSchemaError}.
 */
export async function createTable(client: DynamoDBClient, options: CreateTableOptions = {}): Promise<CreateTableResult> {
  const names = resolveTableOptions(options);
  const ttlAttribute = options.ttlAttribute ?? "expires";
  const existing = await describeTable(client, names.tableName);

  if (existing !== undefined) {
    const problems = findSchemaProblems(existing, names);
    if (problems.length > 0) throw new TableSchemaError(names.tableName, `exists with another schema: ${problems.join("; ")}.`);
    return { tableName: names.tableName, created: false };
  }

  await client.send(new CreateTableCommand(buildCreateTableInput(names)));
  await waitUntilTableExists({ client, maxWaitTime: options.maxWaitSeconds ?? 300 }, { TableName: names.tableName });
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: names.tableName,
      TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
    }),
  );

  return { tableName: names.tableName, created: true };
}

/** Builds the CreateTable request; pure, so tests check it without a network. */
export function buildCreateTableInput(names: ResolvedTableOptions) {
  return {
    TableName: names.tableName,
    BillingMode: "PAY_PER_REQUEST" as const,
    AttributeDefinitions: [
      { AttributeName: names.partitionKey, AttributeType: "S" as const },
      { AttributeName: names.sortKey, AttributeType: "S" as const },
      { AttributeName: names.indexPartitionKey, AttributeType: "S" as const },
      { AttributeName: names.indexSortKey, AttributeType: "S" as const },
    ],
    KeySchema: [
      { AttributeName: names.partitionKey, KeyType: "HASH" as const },
      { AttributeName: names.sortKey, KeyType: "RANGE" as const },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: names.indexName,
        KeySchema: [
          { AttributeName: names.indexPartitionKey, KeyType: "HASH" as const },
          { AttributeName: names.indexSortKey, KeyType: "RANGE" as const },
        ],
        Projection: { ProjectionType: "ALL" as const },
      },
    ],
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" as const },
  };
}

async function describeTable(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    const output = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return output.Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException || (error as { name?: string }).name === "ResourceNotFoundException") return undefined;
    throw error;
  }
}

/** Lists how an existing table differs from what the adapter needs; empty when it fits. */
export function findSchemaProblems(table: TableDescription, names: ResolvedTableOptions): string[] {
  const problems: string[] = [];
  const keyOf = (schema: TableDescription["KeySchema"], type: "HASH" | "RANGE") => schema?.find((key) => key.KeyType === type)?.AttributeName;

  if (keyOf(table.KeySchema, "HASH") !== names.partitionKey) problems.push(`partition key is ${keyOf(table.KeySchema, "HASH")}, expected ${names.partitionKey}`);
  if (keyOf(table.KeySchema, "RANGE") !== names.sortKey) problems.push(`sort key is ${keyOf(table.KeySchema, "RANGE")}, expected ${names.sortKey}`);

  const index = table.GlobalSecondaryIndexes?.find((candidate) => candidate.IndexName === names.indexName);
  if (index === undefined) {
    problems.push(`global secondary index ${names.indexName} is missing`);
    return problems;
  }

  if (keyOf(index.KeySchema, "HASH") !== names.indexPartitionKey) problems.push(`index partition key is ${keyOf(index.KeySchema, "HASH")}, expected ${names.indexPartitionKey}`);
  if (keyOf(index.KeySchema, "RANGE") !== names.indexSortKey) problems.push(`index sort key is ${keyOf(index.KeySchema, "RANGE")}, expected ${names.indexSortKey}`);
  if (index.Projection?.ProjectionType !== "ALL") problems.push(`index projection is ${index.Projection?.ProjectionType}, expected ALL`);

  return problems;
}
