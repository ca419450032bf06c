import type { AdapterSession, AdapterUser } from "@auth/core/adapters";
import { InvalidInputError, RegionUnavailableError } from "../errors/index.js";
import { parseSessionToken, type SessionTokenShape } from "../regions/session-token.js";
import { fromItem, isExpired, requireDate, requireKeyPart, reservedAttributeNames, toAttributes, toEpochSeconds, type Item } from "./codec.js";
import type { AdapterContext } from "./context.js";
import { isConditionFailure, isNetworkError } from "./errors-map.js";
import { buildSetExpression, itemAbsent } from "./expressions.js";
import { indexValues, itemType, keyPrefix, sessionKey, sessionMembershipKey } from "./keys.js";
import { queryIndex } from "./legacy.js";
import { sendDelete, sendGet, sendPut, sendUpdate } from "./requests.js";
import { transactWrite } from "./transactions.js";
import { getUser } from "./users.js";

export interface SessionAndUser {
  session: AdapterSession;
  user: AdapterUser;
}

/**
 * Returns the region that writes a session: the region named in its token,
 * or the primary region for tokens that name none. Outside global eventual
 * mode every write is local.
 */
export function sessionOwnerRegion(ctx: AdapterContext, sessionToken: string): string {
  return ownerRegionOf(ctx, parseSessionToken(sessionToken));
}

function ownerRegionOf(ctx: AdapterContext, shape: SessionTokenShape): string {
  if (!ctx.routesByOwner) return ctx.localRegion;
  return shape.kind === "regional" && ctx.regions.includes(shape.homeRegion) ? shape.homeRegion : ctx.primaryRegion;
}

/** Regions to ask, in parallel, when the local replica has no live copy of the session. */
function fallbackRegions(ctx: AdapterContext, shape: SessionTokenShape): string[] {
  if (!ctx.routesByOwner) return [];
  if (shape.kind === "regional" && ctx.regions.includes(shape.homeRegion)) return shape.homeRegion === ctx.localRegion ? [] : [shape.homeRegion];
  return ctx.regions.filter((region) => region !== ctx.localRegion);
}

async function readSessionItem(ctx: AdapterContext, region: string, sessionToken: string): Promise<Item | undefined> {
  const output = await sendGet(ctx, region, { TableName: ctx.names.tableName, Key: sessionKey(ctx.names, sessionToken), ConsistentRead: true }, "getSessionAndUser");
  return output.Item;
}

/**
 * Finds the live session item: locally first, then (global mode) in its
 * owner region when the local copy is missing or expired, then (legacy
 * look-ups on) through the index for sessions the official adapter wrote.
 */
async function findLiveSession(ctx: AdapterContext, sessionToken: string, shape: SessionTokenShape): Promise<Item | undefined> {
  const now = ctx.clock.now();
  const owner = ownerRegionOf(ctx, shape);

  // This adapter changed the session in its owner region moments ago; the
  // local replica may not have the change yet.
  if (ctx.writtenElsewhereRecently("session", sessionToken)) {
    const owned = await readSessionItem(ctx, owner, sessionToken);
    return owned !== undefined && !isExpired(owned.expires, now) ? owned : undefined;
  }

  const local = await readSessionItem(ctx, ctx.localRegion, sessionToken);
  if (local !== undefined && !isExpired(local.expires, now)) return local;

  const regions = fallbackRegions(ctx, shape);
  let unreachable: unknown;

  if (regions.length > 0) {
    const results = await Promise.allSettled(regions.map((region) => readSessionItem(ctx, region, sessionToken)));

    for (const [index, result] of results.entries()) {
      const region = regions[index] as string;
      if (result.status === "rejected") {
        if (!(result.reason instanceof RegionUnavailableError) && !isNetworkError(result.reason)) throw result.reason;
        // Only an unreachable owner leaves the result open, because another region's copy is just a replica.
        if (region === owner) unreachable = result.reason;
        continue;
      }

      const live = result.value !== undefined && !isExpired(result.value.expires, now);
      ctx.emit?.({ type: "fallback-read", entity: "session", region, found: live });
      if (live) return result.value;
    }
  }

  if (local === undefined && ctx.legacyLookups) {
    const index = indexValues.session(sessionToken);
    const legacy = await queryIndex(ctx, ctx.localRegion, index.partition, index.sort, "getSessionAndUser");
    if (legacy !== undefined && !isExpired(legacy.expires, now)) return legacy;
  }

  // The owner region did not respond and no copy here is live; it may hold an
  // extension. Returning null would make Auth.js clear the cookie and sign
  // the user out, so raise the outage instead.
  if (unreachable !== undefined) throw unreachable;
  return undefined;
}

/**
 * Reads a session and its user. Expired sessions and malformed tokens
 * return null; a malformed token costs no request.
 */
export async function getSessionAndUser(ctx: AdapterContext, sessionToken: string): Promise<SessionAndUser | null> {
  const shape = parseSessionToken(sessionToken);
  if (shape.kind === "malformed") return null;

  const item = await findLiveSession(ctx, sessionToken, shape);
  if (item === undefined) return null;

  const session = fromItem<AdapterSession>(item, ctx.names) as AdapterSession;
  const user = await getUser(ctx, session.userId);
  return user === null ? null : { session, user };
}

/** Builds the session item and its membership item under the user's partition. */
export function buildSessionItems(ctx: AdapterContext, session: { sessionToken: string; userId: string; expires: Date }): { session: Item; membership: Item } {
  const fields = { type: itemType.session, sessionToken: session.sessionToken, userId: session.userId, expires: toEpochSeconds(session.expires) };
  return {
    session: { ...sessionKey(ctx.names, session.sessionToken), ...fields },
    membership: { ...sessionMembershipKey(ctx.names, session.userId, session.sessionToken), ...fields },
  };
}

/**
 * Creates a session in the region that owns its token. With transactions both
 * items or neither are written. Without them (strong consistency) the
 * membership item goes first.
 */
export async function createSession(ctx: AdapterContext, data: { sessionToken: string; userId: string; expires: Date }): Promise<AdapterSession> {
  requireKeyPart("session.sessionToken", data.sessionToken, keyPrefix.session.length);
  requireKeyPart("session.userId", data.userId, keyPrefix.user.length);
  requireDate("session.expires", data.expires);
  if (parseSessionToken(data.sessionToken).kind === "malformed") {
    throw new InvalidInputError("session.sessionToken", "Expected `session.sessionToken` to be printable ASCII without spaces, as Auth.js generates it. Use Auth.js's default generator or generateSessionToken().");
  }

  const region = sessionOwnerRegion(ctx, data.sessionToken);
  const items = buildSessionItems(ctx, data);
  ctx.markWritten("session", data.sessionToken, region);
  const absent = itemAbsent(ctx.names.partitionKey);
  const duplicate = () => new InvalidInputError("session.sessionToken", "A session with this token already exists; createSession never overwrites one. Generate a new token.");

  if (ctx.transactions) {
    const result = await transactWrite(
      ctx,
      region,
      { TransactItems: [{ Put: { TableName: ctx.names.tableName, Item: items.session, ...absent } }, { Put: { TableName: ctx.names.tableName, Item: items.membership } }] },
      "createSession",
    );
    if (!result.ok) throw duplicate();
  } else {
    // Membership first: a crash in between leaves an entry that deleteUser
    // cleans up, never a session that deleteUser cannot find.
    await sendPut(ctx, region, { TableName: ctx.names.tableName, Item: items.membership }, "createSession");
    try {
      await sendPut(ctx, region, { TableName: ctx.names.tableName, Item: items.session, ...absent }, "createSession");
    } catch (error) {
      if (isConditionFailure(error)) throw duplicate();
      throw error;
    }
  }

  return { sessionToken: data.sessionToken, userId: data.userId, expires: data.expires };
}

/**
 * Updates a session that exists, in its owner region. It never creates one:
 * a session deleted by sign-out stays deleted. Moving a session to another
 * user is not supported, so `userId` only narrows the condition.
 */
export async function updateSession(ctx: AdapterContext, data: Partial<AdapterSession> & Pick<AdapterSession, "sessionToken">): Promise<AdapterSession | null> {
  if (parseSessionToken(data.sessionToken).kind === "malformed") return null;

  const { sessionToken, userId, ...changes } = data;
  const attributes = toAttributes("session", changes, reservedAttributeNames(ctx.names, true));
  const region = sessionOwnerRegion(ctx, sessionToken);
  ctx.markWritten("session", sessionToken, region);

  const updated = await updateExisting(ctx, region, sessionKey(ctx.names, sessionToken), attributes, userId);
  if (updated !== undefined) {
    if (typeof updated.userId === "string") await updateExisting(ctx, region, sessionMembershipKey(ctx.names, updated.userId, sessionToken), attributes, undefined);
    return fromItem<AdapterSession>(updated, ctx.names);
  }

  const legacyKey = await findLegacySessionKey(ctx, region, sessionToken, "updateSession");
  if (legacyKey === undefined) return null;

  return fromItem<AdapterSession>(await updateExisting(ctx, region, legacyKey, attributes, userId), ctx.names);
}

/** Finds the key of a session the official adapter wrote (under its user, found through the index), when legacy look-ups are on. */
async function findLegacySessionKey(ctx: AdapterContext, region: string, sessionToken: string, operation: string): Promise<Record<string, string> | undefined> {
  if (!ctx.legacyLookups) return undefined;

  const index = indexValues.session(sessionToken);
  const legacy = await queryIndex(ctx, region, index.partition, index.sort, operation);
  if (legacy === undefined) return undefined;

  return { [ctx.names.partitionKey]: legacy[ctx.names.partitionKey] as string, [ctx.names.sortKey]: legacy[ctx.names.sortKey] as string };
}

async function updateExisting(ctx: AdapterContext, region: string, key: Record<string, string>, attributes: Item, userId: string | undefined): Promise<Item | undefined> {
  const set = buildSetExpression(attributes);

  // Nothing to change: DynamoDB rejects an empty update, so read the item instead.
  if (set.expression === "") {
    const current = await sendGet(ctx, region, { TableName: ctx.names.tableName, Key: key, ConsistentRead: true }, "updateSession");
    return current.Item !== undefined && (userId === undefined || current.Item.userId === userId) ? current.Item : undefined;
  }

  const userCondition = userId === undefined ? "" : " AND #userId = :userId";

  try {
    const output = await sendUpdate(
      ctx,
      region,
      {
        TableName: ctx.names.tableName,
        Key: key,
        UpdateExpression: set.expression,
        ConditionExpression: `attribute_exists(#pk)${userCondition}`,
        ExpressionAttributeNames: { ...set.names, "#pk": ctx.names.partitionKey, ...(userId === undefined ? {} : { "#userId": "userId" }) },
        ExpressionAttributeValues: { ...set.values, ...(userId === undefined ? {} : { ":userId": userId }) },
        ReturnValues: "ALL_NEW",
      },
      "updateSession",
    );
    return output.Attributes;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/** Deletes a session and its membership item in the owner region; returns the deleted session or null. */
export async function deleteSession(ctx: AdapterContext, sessionToken: string): Promise<AdapterSession | null> {
  if (parseSessionToken(sessionToken).kind === "malformed") return null;

  const region = sessionOwnerRegion(ctx, sessionToken);
  ctx.markWritten("session", sessionToken, region);
  const deleted = await sendDelete(ctx, region, { TableName: ctx.names.tableName, Key: sessionKey(ctx.names, sessionToken), ReturnValues: "ALL_OLD" }, "deleteSession");
  const item = deleted.Attributes;

  if (item !== undefined) {
    if (typeof item.userId === "string") {
      await sendDelete(ctx, region, { TableName: ctx.names.tableName, Key: sessionMembershipKey(ctx.names, item.userId, sessionToken) }, "deleteSession");
    }
    return fromItem<AdapterSession>(item, ctx.names);
  }

  const legacyKey = await findLegacySessionKey(ctx, region, sessionToken, "deleteSession");
  if (legacyKey === undefined) return null;

  const legacyDeleted = await sendDelete(ctx, region, { TableName: ctx.names.tableName, Key: legacyKey, ReturnValues: "ALL_OLD" }, "deleteSession");
  return fromItem<AdapterSession>(legacyDeleted.Attributes, ctx.names);
}
