import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type UpdateTimeToLiveCommandInput,
} from "@aws-sdk/client-dynamodb";
import { TableSchemaError } from "../errors/index.js";
import { resolveTableOptions, tableOptionKeys, type ResolvedTableOptions, type TableOptions } from "../table-options.js";
import { describeTableIfExists, isResourceInUse } from "./describe.js";
import { ignoreProgress, type ProgressListener } from "./events.js";
import { rejectUnknownOptions, resolveBoolean, resolveFunction, resolveTtlAttribute } from "./option-validation.js";
import { checkTableSchema, describeSchemaProblems } from "./schema.js";
import { resolveWaitOptions, waitOptionKeys, waitUntilTableActive, type ResolvedWaitOptions, type WaitOptions } from "./wait.js";

/** Options of {@link createTable}. */
export interface CreateTableOptions extends TableOptions, WaitOptions {
  /**
   * Attribute that DynamoDB's time to live reads. The adapter stores each
   * session's and verification token's expiry in it, as epoch seconds.
   * DynamoDB deletes expired items within a few days, at no write cost.
   * @default "expires"
   */
  readonly ttlAttribute?: string;
  /**
   * Whether to turn on time to live. Pass false for a table that will become
   * a multi-Region strong consistency (MRSC) global table, and schedule
   * `sweepExpired` instead, because MRSC tables do not support time to live.
   * NOTE: that MRSC limit is not checked against a current AWS source.
   * @default true
   */
  readonly timeToLive?: boolean;
  /**
   * Receives progress events, for example to print them.
   * @default a listener that drops every event
   */
  readonly onProgress?: ProgressListener;
}

/** Outcome of {@link createTable}. */
export interface CreateTableResult {
  readonly tableName: string;
  /** Whether this call created the table. False when it already existed with a fitting schema. */
  readonly created: boolean;
  /** Whether this call turned time to live on, on a new table or on an existing one that had it off. */
  readonly timeToLiveEnabled: boolean;
}

// Older callers import the schema check from this module.
export { findSchemaProblems } from "./schema.js";

const createTableOptionKeys: readonly string[] = [...tableOptionKeys, ...waitOptionKeys, "ttlAttribute", "timeToLive", "onProgress"];

const defaultCreateWaitSeconds = 300;

/**
 * Builds the CreateTable request: string keys with the configured names, one
 * global secondary index projecting ALL attributes, on-demand billing, and a
 * stream with new and old images, which global tables replicate from.
 */
export function buildCreateTableInput(names: ResolvedTableOptions): CreateTableCommandInput {
  return {
    TableName: names.tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: names.partitionKey, AttributeType: "S" },
      { AttributeName: names.sortKey, AttributeType: "S" },
      { AttributeName: names.indexPartitionKey, AttributeType: "S" },
      { AttributeName: names.indexSortKey, AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: names.partitionKey, KeyType: "HASH" },
      { AttributeName: names.sortKey, KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: names.indexName,
        KeySchema: [
          { AttributeName: names.indexPartitionKey, KeyType: "HASH" },
          { AttributeName: names.indexSortKey, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      },
    ],
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
  };
}

/** Builds the UpdateTimeToLive request that turns time to live on for `attributeName`. */
export function buildTimeToLiveInput(tableName: string, attributeName: string): UpdateTimeToLiveCommandInput {
  return {
    TableName: tableName,
    TimeToLiveSpecification: { AttributeName: attributeName, Enabled: true },
  };
}

interface ResolvedCreateTableOptions {
  readonly names: ResolvedTableOptions;
  readonly ttlAttribute: string;
  readonly timeToLive: boolean;
  readonly wait: ResolvedWaitOptions;
  readonly onProgress: ProgressListener;
}

function resolveCreateTableOptions(options: CreateTableOptions): ResolvedCreateTableOptions {
  rejectUnknownOptions(options, createTableOptionKeys, "createTable");
  const names = resolveTableOptions(options);

  return {
    names,
    ttlAttribute: resolveTtlAttribute(options.ttlAttribute, names),
    timeToLive: resolveBoolean("timeToLive", options.timeToLive, true),
    wait: resolveWaitOptions(options, defaultCreateWaitSeconds),
    onProgress: resolveFunction("onProgress", options.onProgress, ignoreProgress),
  };
}

/**
 * Turns time to live on for an existing table unless it already is, and
 * returns whether it sent the request. Throws when it is on for another
 * attribute, because DynamoDB allows one time-to-live attribute per table.
 */
async function ensureTimeToLive(client: DynamoDBClient, tableName: string, attributeName: string): Promise<boolean> {
  const output = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = output.TimeToLiveDescription?.TimeToLiveStatus;
  const currentAttribute = output.TimeToLiveDescription?.AttributeName;

  if (status === "ENABLED" || status === "ENABLING") {
    if (currentAttribute === attributeName) return false;

    throw new TableSchemaError(
      tableName,
      `time to live is on for attribute ${JSON.stringify(currentAttribute)}, expected ${JSON.stringify(attributeName)}. ` +
        `Set the option ttlAttribute (--ttl-attribute) to ${JSON.stringify(currentAttribute)} if the adapter writes expiry there, ` +
        "or turn time to live off and run this again.",
    );
  }

  await client.send(new UpdateTimeToLiveCommand(buildTimeToLiveInput(tableName, attributeName)));
  return true;
}

async function adoptExistingTable(client: DynamoDBClient, resolved: ResolvedCreateTableOptions): Promise<CreateTableResult> {
  const { names } = resolved;
  resolved.onProgress({ type: "table-exists", tableName: names.tableName });

  const table = await waitUntilTableActive(client, names.tableName, resolved.wait);
  const problems = checkTableSchema(table, names);
  if (problems.length > 0) {
    throw new TableSchemaError(names.tableName, `exists with another schema than the options describe: ${describeSchemaProblems(problems)}`);
  }

  const timeToLiveEnabled = resolved.timeToLive && (await ensureTimeToLive(client, names.tableName, resolved.ttlAttribute));
  if (timeToLiveEnabled) resolved.onProgress({ type: "time-to-live-enabled", tableName: names.tableName, attributeName: resolved.ttlAttribute });

  return { tableName: names.tableName, created: false, timeToLiveEnabled };
}

/**
 * Creates the table the adapter needs (see {@link buildCreateTableInput}),
 * waits until it is ACTIVE and turns on time to live for `ttlAttribute`.
 * Options are validated before any request. An existing table with a fitting
 * schema is kept, and only its time to live is turned on if it was off. An
 * existing table with another schema raises `TableSchemaError` naming each
 * difference.
 */
export async function createTable(client: DynamoDBClient, options: CreateTableOptions = {}): Promise<CreateTableResult> {
  const resolved = resolveCreateTableOptions(options);
  const { names } = resolved;

  if ((await describeTableIfExists(client, names.tableName)) !== undefined) return adoptExistingTable(client, resolved);

  resolved.onProgress({ type: "table-creating", tableName: names.tableName });
  try {
    await client.send(new CreateTableCommand(buildCreateTableInput(names)));
  } catch (error) {
    // Another process created the table between DescribeTable and CreateTable.
    if (isResourceInUse(error)) return adoptExistingTable(client, resolved);
    throw error;
  }

  await waitUntilTableActive(client, names.tableName, resolved.wait);
  resolved.onProgress({ type: "table-active", tableName: names.tableName });

  if (resolved.timeToLive) {
    await client.send(new UpdateTimeToLiveCommand(buildTimeToLiveInput(names.tableName, resolved.ttlAttribute)));
    resolved.onProgress({ type: "time-to-live-enabled", tableName: names.tableName, attributeName: resolved.ttlAttribute });
  }

  return { tableName: names.tableName, created: true, timeToLiveEnabled: resolved.timeToLive };
}
