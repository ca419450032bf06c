import type { AdapterUser } from "@auth/core/adapters";
import { RetriesExhaustedError } from "../errors/index.js";
import { withRetry } from "../regions/retry.js";
import { fromItem, requireKeyPart, type Item } from "./codec.js";
import type { AdapterContext } from "./context.js";
import { errorName, isConditionFailure } from "./errors-map.js";
import { accountLinkKey, authenticatorLinkKey, keyPrefix, sessionKey, userKey, type Key } from "./keys.js";
import { sendBatchWrite, sendDelete, sendQuery } from "./requests.js";
import { retireUser } from "./retire-user.js";
import { sessionOwnerRegion } from "./sessions.js";

/** DynamoDB's limit of write requests in one BatchWriteItem. */
const batchWriteLimit = 25;

/**
 * Reads the user's partition in every region that can write into it (only
 * the primary region outside global eventual mode) and merges the results, so
 * a session not yet replicated to the primary region is found too.
 */
async function queryUserPartitions(ctx: AdapterContext, userId: string): Promise<Item[]> {
  const regions = ctx.routesByOwner ? ctx.regions : [ctx.primaryRegion];
  const pages = await Promise.all(regions.map((region) => queryUserPartition(ctx, region, userId)));
  const merged = new Map<string, Item>();

  for (const item of pages.flat()) merged.set(JSON.stringify([item[ctx.names.partitionKey], item[ctx.names.sortKey]]), item);
  return [...merged.values()];
}

/** Reads every item in the user's partition in one region with consistent reads, following every page. */
async function queryUserPartition(ctx: AdapterContext, region: string, userId: string): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;

  do {
    const page = await sendQuery(
      ctx,
      region,
      {
        TableName: ctx.names.tableName,
        KeyConditionExpression: "#pk = :pk",
        ExpressionAttributeNames: { "#pk": ctx.names.partitionKey },
        ExpressionAttributeValues: { ":pk": userKey(ctx.names, userId)[ctx.names.partitionKey] },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      },
      "deleteUser",
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);

  return items;
}

/** Keys to delete per region, in the order the phases must run. */
interface DeletionPlan {
  sessions: Map<string, Key[]>;
  lookups: Key[];
  partition: Map<string, Key[]>;
}

/** Sorts a user's items into deletion phases. Pure, so tests check it without a network. */
export function planUserDeletion(ctx: AdapterContext, items: Item[]): DeletionPlan {
  const { partitionKey, sortKey } = ctx.names;
  const plan: DeletionPlan = { sessions: new Map(), lookups: [], partition: new Map() };
  const add = (map: Map<string, Key[]>, region: string, key: Key) => map.set(region, [...(map.get(region) ?? []), key]);

  for (const item of items) {
    const sort = String(item[sortKey]);
    const key: Key = { [partitionKey]: String(item[partitionKey]), [sortKey]: sort };
    let region = ctx.primaryRegion;

    if (sort.startsWith(keyPrefix.session)) {
      const token = sort.slice(keyPrefix.session.length);
      region = sessionOwnerRegion(ctx, token);
      add(plan.sessions, region, sessionKey(ctx.names, token));
    } else if (sort.startsWith(keyPrefix.account) && typeof item.provider === "string" && typeof item.providerAccountId === "string") {
      plan.lookups.push(accountLinkKey(ctx.names, item.provider, item.providerAccountId));
    } else if (sort.startsWith(keyPrefix.authenticator) && typeof item.credentialID === "string") {
      plan.lookups.push(authenticatorLinkKey(ctx.names, item.credentialID));
    }

    add(plan.partition, region, key);
  }

  return plan;
}

/**
 * Deletes account links and authenticator look-ups one by one, each under the
 * condition that it still names this user, so a link that another user took
 * over in the meantime survives.
 */
async function deleteLookups(ctx: AdapterContext, keys: Key[], userId: string): Promise<void> {
  for (let start = 0; start < keys.length; start += lookupDeleteConcurrency) {
    const chunk = keys.slice(start, start + lookupDeleteConcurrency);

    await Promise.all(
      chunk.map(async (key) => {
        try {
          await sendDelete(
            ctx,
            ctx.primaryRegion,
            {
              TableName: ctx.names.tableName,
              Key: key,
              ConditionExpression: "attribute_not_exists(#pk) OR #userId = :userId",
              ExpressionAttributeNames: { "#pk": ctx.names.partitionKey, "#userId": "userId" },
              ExpressionAttributeValues: { ":userId": userId },
            },
            "deleteUser",
          );
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }
      }),
    );
  }
}

/** Look-up deletes in flight at once; each is a single conditional DeleteItem. */
const lookupDeleteConcurrency = 10;

/**
 * Deletes keys with BatchWriteItem, 25 at a time. Unprocessed items are sent
 * again with jittered backoff. Past the retry bound, a
 * {@link RetriesExhaustedError} reports how many keys were left.
 */
async function batchDelete(ctx: AdapterContext, region: string, keys: Key[]): Promise<void> {
  for (let start = 0; start < keys.length; start += batchWriteLimit) {
    let pending = keys.slice(start, start + batchWriteLimit).map((key) => ({ DeleteRequest: { Key: key } }));
    let attempts = 0;

    try {
      await withRetry(
        ctx.retry,
        (error) => (error instanceof UnprocessedItems ? "retry" : "fail"),
        async () => {
          attempts += 1;
          const output = await sendBatchWrite(ctx, region, { RequestItems: { [ctx.names.tableName]: pending } }, "deleteUser");
          const unprocessed = output.UnprocessedItems?.[ctx.names.tableName] ?? [];
          if (unprocessed.length > 0) {
            pending = unprocessed as typeof pending;
            throw new UnprocessedItems(unprocessed.length);
          }
        },
        (error, attempt) => ctx.emit?.({ type: "retry", operation: "deleteUser", attempt, reason: errorName(error) }),
      );
    } catch (error) {
      if (error instanceof UnprocessedItems) {
        throw new RetriesExhaustedError("deleteUser", attempts, `DynamoDB left ${error.count} of the user's items unprocessed; call deleteUser again to finish.`, { cause: error });
      }
      throw error;
    }
  }
}

class UnprocessedItems extends Error {
  override name = "UnprocessedItems";
  constructor(readonly count: number) {
    super(`${count} items were not processed`);
  }
}

/** Passes over the user's partitions; a second pass catches writes that landed during the first. */
const maxDeletionPasses = 3;

/**
 * Deletes a user and every item that belongs to it. The user item and its
 * email item go first, in one conditional step, so concurrent writes that
 * require the user fail from then on. Then the user's partition is cleared:
 * sessions first, in their owner regions, then look-up items, then the rest.
 * A failed run can be repeated and finds the remaining items again.
 */
export async function deleteUser(ctx: AdapterContext, userId: string): Promise<AdapterUser | null> {
  requireKeyPart("userId", userId, keyPrefix.user.length);
  ctx.markWritten("user", userId, ctx.primaryRegion);

  const user = await retireUser(ctx, userId);

  for (let pass = 0; pass < maxDeletionPasses; pass += 1) {
    const items = await queryUserPartitions(ctx, userId);
    if (items.length === 0) break;

    const plan = planUserDeletion(ctx, items);
    for (const [region, keys] of plan.sessions) await batchDelete(ctx, region, keys);
    await deleteLookups(ctx, plan.lookups, userId);
    for (const [region, keys] of plan.partition) await batchDelete(ctx, region, keys);
  }

  return fromItem<AdapterUser>(user, ctx.names);
}
