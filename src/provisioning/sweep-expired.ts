import { DeleteCommand, ScanCommand, type DeleteCommandInput, type DynamoDBDocumentClient, type ScanCommandInput } from "@aws-sdk/lib-dynamodb";
import { InvalidOptionError } from "../errors/index.js";
import { resolveTableOptions, tableOptionKeys, type ResolvedTableOptions, type TableOptions } from "../table-options.js";
import { rejectUnknownOptions, resolveBoolean, resolveFunction, resolvePositiveNumber, resolveTtlAttribute } from "./option-validation.js";

/** Options of {@link sweepExpired}. */
export interface SweepExpiredOptions extends TableOptions {
  /**
   * Attribute that contains each item's expiry: a number of epoch seconds, or an
   * ISO 8601 string as older adapter versions wrote.
   * @default "expires"
   */
  readonly ttlAttribute?: string;
  /**
   * Clock that returns the current time in epoch milliseconds. Items that
   * expire before this time are deleted.
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * Count the expired items without deleting any.
   * @default false
   */
  readonly dryRun?: boolean;
  /**
   * Maximum number of DeleteItem requests in flight at once. Each consumes
   * write capacity for the item's size (1 write capacity unit per KB, rounded up).
   * @default 10
   */
  readonly concurrency?: number;
}

/** Counts of one {@link sweepExpired} run. */
export interface SweepExpiredResult {
  /** Items DynamoDB read during the scan. All of them consume read capacity, expired or not. */
  readonly scannedItems: number;
  /** Session and verification token items whose expiry had passed. */
  readonly expiredItems: number;
  /** Expired items deleted, 0 in a dry run. */
  readonly deletedItems: number;
  /** Expired items left in place because their expiry changed, or they were deleted, between scan and delete. */
  readonly changedItems: number;
}

/** Sort key prefixes of the items that expire: sessions, verification tokens and verification requests. */
export const expiringSortKeyPrefixes = ["SESSION#", "VT#", "VR#"] as const;

const sweepOptionKeys: readonly string[] = [...tableOptionKeys, "ttlAttribute", "now", "dryRun", "concurrency"];

/**
 * Converts a stored expiry to epoch milliseconds: numbers are epoch seconds,
 * strings are parsed as dates. Returns undefined for anything else and for
 * strings that are no date, so such items are never deleted.
 */
export function parseExpiry(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value * 1000 : undefined;
  if (typeof value !== "string") return undefined;

  const milliseconds = Date.parse(value);
  return Number.isNaN(milliseconds) ? undefined : milliseconds;
}

/**
 * Builds one page of the sweep's scan. Reads are strongly consistent, so an
 * expiry extended before the scan is seen. The filter drops items without
 * the expiry attribute or with another sort key prefix, but DynamoDB still
 * charges read capacity for every item it reads.
 */
export function buildSweepScanInput(names: ResolvedTableOptions, ttlAttribute: string, exclusiveStartKey?: Record<string, unknown>): ScanCommandInput {
  const prefixConditions = expiringSortKeyPrefixes.map((_, position) => `begins_with(#sortKey, :prefix${position})`);
  const input: ScanCommandInput = {
    TableName: names.tableName,
    ConsistentRead: true,
    FilterExpression: `(${prefixConditions.join(" OR ")}) AND attribute_exists(#expires)`,
    ProjectionExpression: "#partitionKey, #sortKey, #expires",
    ExpressionAttributeNames: { "#partitionKey": names.partitionKey, "#sortKey": names.sortKey, "#expires": ttlAttribute },
    ExpressionAttributeValues: Object.fromEntries(expiringSortKeyPrefixes.map((prefix, position) => [`:prefix${position}`, prefix])),
  };

  if (exclusiveStartKey !== undefined) input.ExclusiveStartKey = exclusiveStartKey;
  return input;
}

/**
 * Builds the DeleteItem request for one expired item. The condition that the
 * expiry is unchanged keeps a session that was extended after the scan.
 * BatchWriteItem is not used because it takes no condition.
 */
export function buildExpiredDeleteInput(names: ResolvedTableOptions, ttlAttribute: string, item: Record<string, unknown>): DeleteCommandInput {
  return {
    TableName: names.tableName,
    Key: { [names.partitionKey]: item[names.partitionKey], [names.sortKey]: item[names.sortKey] },
    ConditionExpression: "#expires = :expires",
    ExpressionAttributeNames: { "#expires": ttlAttribute },
    ExpressionAttributeValues: { ":expires": item[ttlAttribute] },
  };
}

interface ResolvedSweepOptions {
  readonly names: ResolvedTableOptions;
  readonly ttlAttribute: string;
  readonly now: () => number;
  readonly dryRun: boolean;
  readonly concurrency: number;
}

function resolveSweepOptions(options: SweepExpiredOptions): ResolvedSweepOptions {
  rejectUnknownOptions(options, sweepOptionKeys, "sweepExpired");
  const names = resolveTableOptions(options);
  const concurrency = resolvePositiveNumber("concurrency", options.concurrency, 10);
  if (!Number.isInteger(concurrency)) throw new InvalidOptionError("concurrency", concurrency, "a whole number greater than 0");

  return {
    names,
    ttlAttribute: resolveTtlAttribute(options.ttlAttribute, names),
    now: resolveFunction("now", options.now, Date.now),
    dryRun: resolveBoolean("dryRun", options.dryRun, false),
    concurrency,
  };
}

function isConditionalCheckFailure(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === "ConditionalCheckFailedException";
}

/** Deletes `items`, at most `concurrency` at a time, and returns how many were deleted and how many had changed. */
async function deleteExpiredItems(client: DynamoDBDocumentClient, items: readonly Record<string, unknown>[], resolved: ResolvedSweepOptions) {
  let deleted = 0;
  let changed = 0;

  for (let start = 0; start < items.length; start += resolved.concurrency) {
    const chunk = items.slice(start, start + resolved.concurrency);
    const outcomes = await Promise.allSettled(
      chunk.map((item) => client.send(new DeleteCommand(buildExpiredDeleteInput(resolved.names, resolved.ttlAttribute, item)))),
    );

    for (const outcome of outcomes) {
      if (outcome.status === "fulfilled") deleted += 1;
      else if (isConditionalCheckFailure(outcome.reason)) changed += 1;
      else throw outcome.reason;
    }
  }

  return { deleted, changed };
}

/**
 * Deletes expired sessions, verification tokens and verification requests
 * (sort key prefix `SESSION#`, `VT#` or `VR#`) with a paginated, strongly
 * consistent scan and one conditional DeleteItem per expired item. Use it
 * where DynamoDB's time to live is off, as on multi-Region strong consistency
 * tables. It reads the whole table, so its read cost grows with the table,
 * not with the number of expired items.
 */
export async function sweepExpired(client: DynamoDBDocumentClient, options: SweepExpiredOptions = {}): Promise<SweepExpiredResult> {
  const resolved = resolveSweepOptions(options);
  const nowMilliseconds = resolved.now();
  let scannedItems = 0;
  let expiredItems = 0;
  let deletedItems = 0;
  let changedItems = 0;
  let startKey: Record<string, unknown> | undefined;

  do {
    const page = await client.send(new ScanCommand(buildSweepScanInput(resolved.names, resolved.ttlAttribute, startKey)));
    scannedItems += page.ScannedCount ?? 0;

    const expired = (page.Items ?? []).filter((item) => {
      const expiry = parseExpiry(item[resolved.ttlAttribute]);
      return expiry !== undefined && expiry < nowMilliseconds;
    });
    expiredItems += expired.length;

    if (!resolved.dryRun) {
      const outcome = await deleteExpiredItems(client, expired, resolved);
      deletedItems += outcome.deleted;
      changedItems += outcome.changed;
    }

    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);

  return { scannedItems, expiredItems, deletedItems, changedItems };
}
