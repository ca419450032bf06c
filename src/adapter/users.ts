import { randomUUID } from "node:crypto";
import type { AdapterUser } from "@auth/core/adapters";
import { EmailInUseError, InvalidInputError, NotFoundError, RetriesExhaustedError } from "../errors/index.js";
import { withRetry } from "../regions/retry.js";
import { assertItemFits, fitsKeyPart, fromItem, requireKeyPart, reservedAttributeNames, toAttributes, type Item } from "./codec.js";
import type { AdapterContext } from "./context.js";
import { errorName, isConditionFailure } from "./errors-map.js";
import { buildSetExpression, itemAbsent } from "./expressions.js";
import { emailKey, indexValues, isStaleClaim, itemType, keyPrefix, userKey } from "./keys.js";
import { queryIndex } from "./legacy.js";
import { transactWrite } from "./transactions.js";
import { sendDelete, sendGet, sendPut, sendUpdate } from "./requests.js";

/** Reads a user item with a consistent read in one region. */
export async function readUserItem(ctx: AdapterContext, region: string, userId: string): Promise<Item | undefined> {
  const output = await sendGet(ctx, region, { TableName: ctx.names.tableName, Key: userKey(ctx.names, userId), ConsistentRead: true }, "getUser");
  return output.Item;
}

/**
 * Reads a user locally and, in global mode, from the primary region when the
 * local replica has not received it yet.
 */
export async function getUser(ctx: AdapterContext, userId: string): Promise<AdapterUser | null> {
  if (!fitsKeyPart(userId, keyPrefix.user.length)) return null;

  if (ctx.writtenElsewhereRecently("user", userId)) return fromItem<AdapterUser>(await readUserItem(ctx, ctx.primaryRegion, userId), ctx.names);

  const local = await readUserItem(ctx, ctx.localRegion, userId);
  if (local !== undefined || !ctx.routesByOwner || ctx.primaryRegion === ctx.localRegion) return fromItem<AdapterUser>(local, ctx.names);

  const owner = await readUserItem(ctx, ctx.primaryRegion, userId);
  ctx.emit?.({ type: "fallback-read", entity: "user", region: ctx.primaryRegion, found: owner !== undefined });
  return fromItem<AdapterUser>(owner, ctx.names);
}

/** Reads the user ID stored in the email look-up item, in the region that writes it. */
async function readEmailOwner(ctx: AdapterContext, email: string): Promise<string | undefined> {
  const output = await sendGet(ctx, ctx.primaryRegion, { TableName: ctx.names.tableName, Key: emailKey(ctx.names, email), ConsistentRead: true }, "getUserByEmail");
  const userId = output.Item?.userId;
  return typeof userId === "string" ? userId : undefined;
}

/**
 * Finds a user by email with consistent reads in the primary region, because
 * Auth.js creates a user when this returns null. Users written by the
 * official adapter have no email look-up item and are found through the index.
 */
export async function getUserByEmail(ctx: AdapterContext, email: string): Promise<AdapterUser | null> {
  if (!fitsKeyPart(email, keyPrefix.email.length)) return null;

  const userId = await readEmailOwner(ctx, email);
  if (userId !== undefined) return fromItem<AdapterUser>(await readUserItem(ctx, ctx.primaryRegion, userId), ctx.names);
  if (!ctx.legacyLookups) return null;

  const index = indexValues.user(email);
  const legacy = await queryIndex(ctx, ctx.primaryRegion, index.partition, index.sort, "getUserByEmail");
  return fromItem<AdapterUser>(legacy, ctx.names);
}

/** Builds the user item with the index values the official adapter writes. */
export function buildUserItem(ctx: AdapterContext, user: Record<string, unknown> & { id: string }): Item {
  const attributes = toAttributes("user", user, reservedAttributeNames(ctx.names, true));
  const email = typeof user.email === "string" && user.email.length > 0 ? user.email : undefined;
  const index = email === undefined ? undefined : indexValues.user(email);

  const item: Item = {
    ...userKey(ctx.names, user.id),
    type: itemType.user,
    ...(index === undefined ? {} : { [ctx.names.indexPartitionKey]: index.partition, [ctx.names.indexSortKey]: index.sort }),
    ...attributes,
  };

  assertItemFits("user", item);
  return item;
}

function buildEmailItem(ctx: AdapterContext, email: string, userId: string): Item {
  return { ...emailKey(ctx.names, email), type: itemType.email, email, userId, claimedAt: ctx.clock.now() };
}

/**
 * Creates a user. When the user has an email, the user item and the email
 * look-up item are written together under conditions that neither exists,
 * so two racing sign-ins cannot create two users with one email.
 */
export async function createUser(ctx: AdapterContext, user: Record<string, unknown>): Promise<AdapterUser> {
  const id = typeof user.id === "string" && user.id.length > 0 ? user.id : randomUUID();
  requireKeyPart("user.id", id, keyPrefix.user.length);

  const created = { ...user, id };
  const item = buildUserItem(ctx, created);
  const email = typeof user.email === "string" && user.email.length > 0 ? requireKeyPart("user.email", user.email, keyPrefix.email.length) : undefined;

  if (email !== undefined && ctx.legacyLookups) {
    const index = indexValues.user(email);
    const legacy = await queryIndex(ctx, ctx.primaryRegion, index.partition, index.sort, "createUser");
    if (legacy !== undefined) throw new EmailInUseError(email);
  }

  if (email === undefined) {
    await putNewUser(ctx, item, id);
  } else if (ctx.transactions) {
    await createUserWithEmailInTransaction(ctx, item, id, email);
  } else {
    await createUserWithEmailInSequence(ctx, item, id, email);
  }

  ctx.markWritten("user", id, ctx.primaryRegion);
  return withoutUndefined(created) as unknown as AdapterUser;
}

async function putNewUser(ctx: AdapterContext, item: Item, id: string): Promise<void> {
  try {
    await sendPut(ctx, ctx.primaryRegion, { TableName: ctx.names.tableName, Item: item, ...itemAbsent(ctx.names.partitionKey) }, "createUser");
  } catch (error) {
    if (isConditionFailure(error)) throw duplicateUserId(id);
    throw error;
  }
}

function duplicateUserId(id: string): InvalidInputError {
  return new InvalidInputError("user.id", `A user with id ${JSON.stringify(id)} already exists; createUser never overwrites a user. Use updateUser to change it.`);
}

async function createUserWithEmailInTransaction(ctx: AdapterContext, item: Item, id: string, email: string): Promise<void> {
  const absent = itemAbsent(ctx.names.partitionKey);
  const result = await transactWrite(
    ctx,
    ctx.primaryRegion,
    {
      TransactItems: [
        { Put: { TableName: ctx.names.tableName, Item: item, ...absent } },
        { Put: { TableName: ctx.names.tableName, Item: buildEmailItem(ctx, email, id), ...absent } },
      ],
    },
    "createUser",
  );

  if (result.ok) return;
  if (result.codes[0] === "ConditionalCheckFailed") throw duplicateUserId(id);
  throw new EmailInUseError(email);
}

/**
 * Multi-region strong consistency has no transactions: the email item is
 * claimed first, so a crash between the two writes leaves an email item
 * without a user, which the next sign-up with that email takes over.
 */
async function createUserWithEmailInSequence(ctx: AdapterContext, item: Item, id: string, email: string): Promise<void> {
  await claimEmail(ctx, email, id);

  try {
    await putNewUser(ctx, item, id);
  } catch (error) {
    await releaseEmail(ctx, email, id, "createUser");
    throw error;
  }
}

async function claimEmail(ctx: AdapterContext, email: string, userId: string): Promise<void> {
  const emailItem = buildEmailItem(ctx, email, userId);

  try {
    await sendPut(ctx, ctx.primaryRegion, { TableName: ctx.names.tableName, Item: emailItem, ...itemAbsent(ctx.names.partitionKey) }, "createUser");
    return;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }

  const claim = await sendGet(ctx, ctx.primaryRegion, { TableName: ctx.names.tableName, Key: emailKey(ctx.names, email), ConsistentRead: true }, "createUser");
  const holder = claim.Item?.userId;
  if (typeof holder !== "string" || !isStaleClaim(claim.Item, ctx.clock.now()) || (await readUserItem(ctx, ctx.primaryRegion, holder)) !== undefined) {
    throw new EmailInUseError(email);
  }

  try {
    await sendPut(ctx, ctx.primaryRegion, { TableName: ctx.names.tableName, Item: emailItem, ConditionExpression: "#userId = :holder", ExpressionAttributeNames: { "#userId": "userId" }, ExpressionAttributeValues: { ":holder": holder } }, "createUser");
  } catch (error) {
    if (isConditionFailure(error)) throw new EmailInUseError(email, { cause: error });
    throw error;
  }
}

async function releaseEmail(ctx: AdapterContext, email: string, userId: string, operation: string): Promise<void> {
  try {
    await sendDelete(ctx, ctx.primaryRegion, { TableName: ctx.names.tableName, Key: emailKey(ctx.names, email), ConditionExpression: "#userId = :userId", ExpressionAttributeNames: { "#userId": "userId" }, ExpressionAttributeValues: { ":userId": userId } }, operation);
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

function withoutUndefined(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

/**
 * Updates a user that must exist. A new email moves the email look-up item
 * in the same transaction, conditioned on the email read before, so a
 * concurrent change is retried instead of leaving two users with one email.
 */
export async function updateUser(ctx: AdapterContext, user: Partial<AdapterUser> & Pick<AdapterUser, "id">): Promise<AdapterUser> {
  const id = requireKeyPart("user.id", user.id, keyPrefix.user.length);
  ctx.markWritten("user", id, ctx.primaryRegion);
  const { id: _id, ...changes } = user as Record<string, unknown>;
  const attributes = toAttributes("user", changes, reservedAttributeNames(ctx.names, true));

  if ("email" in attributes) return updateUserEmail(ctx, id, attributes);
  if (Object.keys(attributes).length === 0) {
    const current = await readUserItem(ctx, ctx.primaryRegion, id);
    if (current === undefined) throw new NotFoundError("user", id);
    return fromItem<AdapterUser>(current, ctx.names) as AdapterUser;
  }

  const set = buildSetExpression(attributes);
  try {
    const output = await sendUpdate(
      ctx,
      ctx.primaryRegion,
      {
        TableName: ctx.names.tableName,
        Key: userKey(ctx.names, id),
        UpdateExpression: set.expression,
        ConditionExpression: "attribute_exists(#pk)",
        ExpressionAttributeNames: { ...set.names, "#pk": ctx.names.partitionKey },
        ExpressionAttributeValues: set.values,
        ReturnValues: "ALL_NEW",
      },
      "updateUser",
    );
    return fromItem<AdapterUser>(output.Attributes, ctx.names) as AdapterUser;
  } catch (error) {
    if (isConditionFailure(error)) throw new NotFoundError("user", id, { cause: error });
    throw error;
  }
}

async function updateUserEmail(ctx: AdapterContext, id: string, attributes: Item): Promise<AdapterUser> {
  const newEmail = typeof attributes.email === "string" && attributes.email.length > 0 ? requireKeyPart("user.email", attributes.email, keyPrefix.email.length) : undefined;

  const attempt = async () => {
    const current = await readUserItem(ctx, ctx.primaryRegion, id);
    if (current === undefined) throw new NotFoundError("user", id);

    const oldEmail = typeof current.email === "string" && current.email.length > 0 ? current.email : undefined;
    assertItemFits("user", { ...current, ...attributes });

    if (oldEmail === newEmail) {
      const { email: _email, ...rest } = attributes;
      return Object.keys(rest).length === 0 ? (fromItem<AdapterUser>(current, ctx.names) as AdapterUser) : updateUser(ctx, { id, ...(rest as Partial<AdapterUser>) });
    }

    if (newEmail !== undefined && ctx.legacyLookups) {
      const index = indexValues.user(newEmail);
      const legacy = await queryIndex(ctx, ctx.primaryRegion, index.partition, index.sort, "updateUser");
      if (legacy !== undefined && legacy.id !== id) throw new EmailInUseError(newEmail);
    }

    const moved = await moveEmail(ctx, id, attributes, oldEmail, newEmail);
    if (!moved) throw new EmailChangedConcurrently();

    return fromItem<AdapterUser>(await readUserItem(ctx, ctx.primaryRegion, id), ctx.names) as AdapterUser;
  };

  try {
    return await withRetry(
      ctx.retry,
      (error) => (error instanceof EmailChangedConcurrently ? "retry" : "fail"),
      attempt,
      (error, count) => ctx.emit?.({ type: "retry", operation: "updateUser", attempt: count, reason: errorName(error) }),
    );
  } catch (error) {
    if (error instanceof EmailChangedConcurrently) throw new RetriesExhaustedError("updateUser", ctx.retry.retries + 1, "the user's email kept changing concurrently", { cause: error });
    throw error;
  }
}

class EmailChangedConcurrently extends Error {
  override name = "EmailChangedConcurrently";
}

/** Writes the new email and its look-up item; returns false when the stored email changed since it was read. */
async function moveEmail(ctx: AdapterContext, id: string, attributes: Item, oldEmail: string | undefined, newEmail: string | undefined): Promise<boolean> {
  const { tableName, partitionKey, indexPartitionKey, indexSortKey } = ctx.names;
  const index = newEmail === undefined ? undefined : indexValues.user(newEmail);
  const set = buildSetExpression(index === undefined ? attributes : { ...attributes, [indexPartitionKey]: index.partition, [indexSortKey]: index.sort });
  const removeIndex = index === undefined ? " REMOVE #ipk, #isk" : "";
  const userUpdate = {
    TableName: tableName,
    Key: userKey(ctx.names, id),
    UpdateExpression: `${set.expression}${removeIndex}`,
    ConditionExpression: oldEmail === undefined ? "attribute_exists(#pk) AND (attribute_not_exists(#email) OR #email = :empty OR attribute_type(#email, :null))" : "attribute_exists(#pk) AND #email = :oldEmail",
    ExpressionAttributeNames: { ...set.names, "#pk": partitionKey, "#email": "email", ...(removeIndex === "" ? {} : { "#ipk": indexPartitionKey, "#isk": indexSortKey }) },
    ExpressionAttributeValues: { ...set.values, ...(oldEmail === undefined ? { ":empty": "", ":null": "NULL" } : { ":oldEmail": oldEmail }) },
  };

  if (!ctx.transactions) return moveEmailInSequence(ctx, id, userUpdate, oldEmail, newEmail);

  const actions: NonNullable<Parameters<typeof transactWrite>[2]["TransactItems"]> = [{ Update: userUpdate }];
  if (newEmail !== undefined) actions.push({ Put: { TableName: tableName, Item: buildEmailItem(ctx, newEmail, id), ...itemAbsent(partitionKey) } });
  if (oldEmail !== undefined) actions.push({ Delete: { TableName: tableName, Key: emailKey(ctx.names, oldEmail), ConditionExpression: "attribute_not_exists(#pk) OR #userId = :userId", ExpressionAttributeNames: { "#pk": partitionKey, "#userId": "userId" }, ExpressionAttributeValues: { ":userId": id } } });

  const result = await transactWrite(ctx, ctx.primaryRegion, { TransactItems: actions }, "updateUser");
  if (result.ok) return true;
  if (newEmail !== undefined && result.codes[1] === "ConditionalCheckFailed") throw new EmailInUseError(newEmail);
  return false;
}

async function moveEmailInSequence(ctx: AdapterContext, id: string, userUpdate: Parameters<typeof sendUpdate>[2], oldEmail: string | undefined, newEmail: string | undefined): Promise<boolean> {
  if (newEmail !== undefined) await claimEmail(ctx, newEmail, id);

  try {
    await sendUpdate(ctx, ctx.primaryRegion, userUpdate, "updateUser");
  } catch (error) {
    if (newEmail !== undefined) await releaseEmail(ctx, newEmail, id, "updateUser");
    if (isConditionFailure(error)) return false;
    throw error;
  }

  if (oldEmail !== undefined) await releaseEmail(ctx, oldEmail, id, "updateUser");
  return true;
}

export { readEmailOwner, releaseEmail };
