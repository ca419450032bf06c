import type { AdapterUser } from "@auth/core/adapters";
import { RetriesExhaustedError } from "../errors/index.js";
import { withRetry } from "../regions/retry.js";
import { fromItem, requireKeyPart, type Item } from "./codec.js";
import type { AdapterContext } from "./context.js";
import { errorName } from "./errors-map.js";
import { accountLinkKey, authenticatorLinkKey, keyPrefix, sessionKey, userKey, type Key } from "./keys.js";
import { sendBatchWrite, sendQuery } from "./requests.js";
import { sessionOwnerRegion } from "./sessions.js";
import { releaseEmail } from "./users.js";

/** DynamoDB's limit of write requests in one BatchWriteItem. */
const batchWriteLimit = 25;

/** Reads every item in the user's partition with consistent reads, following every page. */
async function queryUserPartition(ctx: AdapterContext, userId: string): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;

  do {
    const page = await sendQuery(
      ctx,
      ctx.primaryRegion,
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
  user: Item | undefined;
}

/** Sorts a user's items into deletion phases. Pure, so tests check it without a network. */
export function planUserDeletion(ctx: AdapterContext, items: Item[]): DeletionPlan {
  const { partitionKey, sortKey } = ctx.names;
  const plan: DeletionPlan = { sessions: new Map(), lookups: [], partition: new Map(), user: undefined };
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
    } else if (sort.startsWith(keyPrefix.user)) {
      plan.user = item;
      continue;
    }

    add(plan.partition, region, key);
  }

  return plan;
}

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

/**
 * Deletes a user and every item that belongs to it. Sessions go first, in
 * their owner regions, so no session outlives its user. Look-up items follow,
 * then the user's partition with the user item last, so a failed run can be
 * repeated and finds everything again.
 */
export async function deleteUser(ctx: AdapterContext, userId: string): Promise<AdapterUser | null> {
  requireKeyPart("userId", userId, keyPrefix.user.length);

  const items = await queryUserPartition(ctx, userId);
  const plan = planUserDeletion(ctx, items);

  for (const [region, keys] of plan.sessions) await batchDelete(ctx, region, keys);
  await batchDelete(ctx, ctx.primaryRegion, plan.lookups);
  if (typeof plan.user?.email === "string" && plan.user.email.length > 0) await releaseEmail(ctx, plan.user.email, userId);
  for (const [region, keys] of plan.partition) await batchDelete(ctx, region, keys);
  if (plan.user !== undefined) await batchDelete(ctx, ctx.primaryRegion, [userKey(ctx.names, userId)]);

  return fromItem<AdapterUser>(plan.user, ctx.names);
}
