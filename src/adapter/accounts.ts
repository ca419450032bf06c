import type { AdapterAccount, AdapterUser } from "@auth/core/adapters";
import { AccountAlreadyLinkedError, InvalidInputError, NotFoundError } from "../errors/index.js";
import { assertItemFits, fromItem, requireKeyPart, reservedAttributeNames, toAttributes, type Item } from "./codec.js";
import type { AdapterContext } from "./context.js";
import { isConditionFailure } from "./errors-map.js";
import { accountKey, accountLinkKey, indexValues, isStaleClaim, itemType, keyPrefix, userKey } from "./keys.js";
import { queryIndex } from "./legacy.js";
import { sendDelete, sendGet, sendPut } from "./requests.js";
import { transactWrite } from "./transactions.js";
import { readUserItem } from "./users.js";
import { itemAbsent, itemPresent } from "./expressions.js";

type AccountReference = Pick<AdapterAccount, "provider" | "providerAccountId">;

/** Rejects provider names that would make two accounts share one key. */
function requireAccountReference(reference: AccountReference): { provider: string; providerAccountId: string } {
  const provider = requireKeyPart("account.provider", reference.provider, keyPrefix.accountLink.length + 1);
  const providerAccountId = requireKeyPart("account.providerAccountId", reference.providerAccountId, keyPrefix.accountLink.length + provider.length + 1);

  // Keys join provider and account ID with "#", so "#" in the provider would be ambiguous.
  if (provider.includes("#")) {
    throw new InvalidInputError("account.provider", `The provider id ${JSON.stringify(provider)} contains "#", which this table layout uses as a separator. Give the provider an id without "#".`);
  }

  return { provider, providerAccountId };
}

/** Finds the account item through its link item, or through the index for accounts the official adapter linked. */
async function findAccountItem(ctx: AdapterContext, reference: AccountReference, operation: string): Promise<Item | undefined> {
  const { provider, providerAccountId } = requireAccountReference(reference);
  const link = await sendGet(ctx, ctx.primaryRegion, { TableName: ctx.names.tableName, Key: accountLinkKey(ctx.names, provider, providerAccountId), ConsistentRead: true }, operation);
  const userId = link.Item?.userId;

  if (typeof userId === "string") {
    const account = await sendGet(ctx, ctx.primaryRegion, { TableName: ctx.names.tableName, Key: accountKey(ctx.names, userId, provider, providerAccountId), ConsistentRead: true }, operation);
    return account.Item;
  }

  if (!ctx.legacyLookups) return undefined;
  const index = indexValues.account(provider, providerAccountId);
  return queryIndex(ctx, ctx.primaryRegion, index.partition, index.sort, operation);
}

/** Finds the user of a provider account with consistent reads, because Auth.js creates a user when this returns null. */
export async function getUserByAccount(ctx: AdapterContext, reference: AccountReference): Promise<AdapterUser | null> {
  const account = await findAccountItem(ctx, reference, "getUserByAccount");
  if (typeof account?.userId !== "string") return null;
  return fromItem<AdapterUser>(await readUserItem(ctx, ctx.primaryRegion, account.userId), ctx.names);
}

export async function getAccount(ctx: AdapterContext, providerAccountId: string, provider: string): Promise<AdapterAccount | null> {
  return fromItem<AdapterAccount>(await findAccountItem(ctx, { provider, providerAccountId }, "getAccount"), ctx.names);
}

/**
 * Links a provider account to an existing user. The link item is written
 * under the condition that none exists, so one provider account is never
 * linked to two users, even when two regions' sign-ins race.
 */
export async function linkAccount(ctx: AdapterContext, account: AdapterAccount): Promise<AdapterAccount> {
  const { provider, providerAccountId } = requireAccountReference(account);
  const userId = requireKeyPart("account.userId", account.userId, keyPrefix.user.length);
  const attributes = toAttributes("account", account as unknown as Record<string, unknown>, reservedAttributeNames(ctx.names, false));
  const index = indexValues.account(provider, providerAccountId);
  const item: Item = {
    ...accountKey(ctx.names, userId, provider, providerAccountId),
    [ctx.names.indexPartitionKey]: index.partition,
    [ctx.names.indexSortKey]: index.sort,
    ...attributes,
  };
  const link: Item = { ...accountLinkKey(ctx.names, provider, providerAccountId), type: itemType.accountLink, provider, providerAccountId, userId, claimedAt: ctx.clock.now() };
  assertItemFits("account", item);

  if (ctx.legacyLookups && (await queryIndex(ctx, ctx.primaryRegion, index.partition, index.sort, "linkAccount")) !== undefined) {
    throw new AccountAlreadyLinkedError(provider, providerAccountId);
  }

  const absent = itemAbsent(ctx.names.partitionKey);
  if (ctx.transactions) {
    const result = await transactWrite(
      ctx,
      ctx.primaryRegion,
      {
        TransactItems: [
          { Put: { TableName: ctx.names.tableName, Item: link, ...absent } },
          { Put: { TableName: ctx.names.tableName, Item: item } },
          { ConditionCheck: { TableName: ctx.names.tableName, Key: userKey(ctx.names, userId), ...itemPresent(ctx.names.partitionKey) } },
        ],
      },
      "linkAccount",
    );
    if (!result.ok && result.codes[0] === "ConditionalCheckFailed") throw new AccountAlreadyLinkedError(provider, providerAccountId);
    if (!result.ok) throw new NotFoundError("user", userId);
  } else {
    await linkAccountInSequence(ctx, link, item, { provider, providerAccountId, userId });
  }

  return account;
}

/** Strong-consistency mode has no transactions: claim the link, then write the account, undoing the claim on failure. */
async function linkAccountInSequence(ctx: AdapterContext, link: Item, item: Item, ids: { provider: string; providerAccountId: string; userId: string }): Promise<void> {
  if ((await readUserItem(ctx, ctx.primaryRegion, ids.userId)) === undefined) throw new NotFoundError("user", ids.userId);

  try {
    await sendPut(ctx, ctx.primaryRegion, { TableName: ctx.names.tableName, Item: link, ...itemAbsent(ctx.names.partitionKey) }, "linkAccount");
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    await takeOverStaleLink(ctx, link, ids, error);
  }

  try {
    await sendPut(ctx, ctx.primaryRegion, { TableName: ctx.names.tableName, Item: item }, "linkAccount");
  } catch (error) {
    await sendDelete(ctx, ctx.primaryRegion, { TableName: ctx.names.tableName, Key: accountLinkKey(ctx.names, ids.provider, ids.providerAccountId) }, "linkAccount");
    throw error;
  }
}

/**
 * Claims a link item whose account item is missing and which is older than
 * `staleClaimMs`, as a crash between the two writes above leaves behind. The
 * condition on the old user ID keeps two racing claims from both succeeding.
 */
async function takeOverStaleLink(ctx: AdapterContext, link: Item, ids: { provider: string; providerAccountId: string }, cause: unknown): Promise<void> {
  const current = await sendGet(ctx, ctx.primaryRegion, { TableName: ctx.names.tableName, Key: accountLinkKey(ctx.names, ids.provider, ids.providerAccountId), ConsistentRead: true }, "linkAccount");
  const holder = current.Item?.userId;
  const linked = typeof holder === "string" ? await sendGet(ctx, ctx.primaryRegion, { TableName: ctx.names.tableName, Key: accountKey(ctx.names, holder, ids.provider, ids.providerAccountId), ConsistentRead: true }, "linkAccount") : undefined;
  if (typeof holder !== "string" || !isStaleClaim(current.Item, ctx.clock.now()) || linked?.Item !== undefined) throw new AccountAlreadyLinkedError(ids.provider, ids.providerAccountId, { cause });

  try {
    await sendPut(ctx, ctx.primaryRegion, { TableName: ctx.names.tableName, Item: link, ConditionExpression: "#userId = :holder", ExpressionAttributeNames: { "#userId": "userId" }, ExpressionAttributeValues: { ":holder": holder } }, "linkAccount");
  } catch (error) {
    if (isConditionFailure(error)) throw new AccountAlreadyLinkedError(ids.provider, ids.providerAccountId, { cause: error });
    throw error;
  }
}

/** Removes a provider account and its link item; returns the account, or undefined when none was linked. */
export async function unlinkAccount(ctx: AdapterContext, reference: AccountReference): Promise<AdapterAccount | undefined> {
  const item = await findAccountItem(ctx, reference, "unlinkAccount");
  if (item === undefined) return undefined;

  const { provider, providerAccountId } = requireAccountReference(reference);
  const itemKey = { [ctx.names.partitionKey]: item[ctx.names.partitionKey] as string, [ctx.names.sortKey]: item[ctx.names.sortKey] as string };

  const linkKey = accountLinkKey(ctx.names, provider, providerAccountId);

  if (ctx.transactions) {
    await transactWrite(ctx, ctx.primaryRegion, { TransactItems: [{ Delete: { TableName: ctx.names.tableName, Key: itemKey } }, { Delete: { TableName: ctx.names.tableName, Key: linkKey } }] }, "unlinkAccount");
  } else {
    // The link goes first: if the second delete fails, the account item is
    // still found through the index and a retried unlinkAccount removes it.
    await sendDelete(ctx, ctx.primaryRegion, { TableName: ctx.names.tableName, Key: linkKey }, "unlinkAccount");
    await sendDelete(ctx, ctx.primaryRegion, { TableName: ctx.names.tableName, Key: itemKey }, "unlinkAccount");
  }

  return fromItem<AdapterAccount>(item, ctx.names) ?? undefined;
}
