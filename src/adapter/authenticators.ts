import type { AdapterAuthenticator } from "@auth/core/adapters";
import { CounterRegressionError, InvalidInputError, NotFoundError } from "../errors/index.js";
import { assertItemFits, fitsKeyPart, fromItem, requireKeyPart, reservedAttributeNames, toAttributes, type Item } from "./codec.js";
import type { AdapterContext } from "./context.js";
import { isConditionFailure } from "./errors-map.js";
import { authenticatorKey, authenticatorLinkKey, itemType, keyPrefix, userKey } from "./keys.js";
import { sendDelete, sendGet, sendPut, sendQuery, sendUpdate } from "./requests.js";
import { transactWrite } from "./transactions.js";
import { itemAbsent, itemPresent } from "./expressions.js";

function requireCounter(value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidInputError("authenticator.counter", `Expected \`authenticator.counter\` to be a whole number of 0 or more, got ${String(value)}.`);
  }
  return value;
}

/** Stores a WebAuthn authenticator under its user, with a look-up item from credential ID to user. */
export async function createAuthenticator(ctx: AdapterContext, authenticator: AdapterAuthenticator): Promise<AdapterAuthenticator> {
  const credentialID = requireKeyPart("authenticator.credentialID", authenticator.credentialID, keyPrefix.authenticator.length);
  const userId = requireKeyPart("authenticator.userId", authenticator.userId, keyPrefix.user.length);
  requireCounter(authenticator.counter);

  const item: Item = {
    ...authenticatorKey(ctx.names, userId, credentialID),
    type: itemType.authenticator,
    ...toAttributes("authenticator", authenticator as unknown as Record<string, unknown>, reservedAttributeNames(ctx.names, true)),
  };
  const link: Item = { ...authenticatorLinkKey(ctx.names, credentialID), type: itemType.authenticatorLink, credentialID, userId };
  assertItemFits("authenticator", item);

  const absent = itemAbsent(ctx.names.partitionKey);
  const duplicate = () => new InvalidInputError("authenticator.credentialID", `An authenticator with credential ID ${JSON.stringify(credentialID)} already exists; register a new credential.`);

  if (ctx.transactions) {
    const result = await transactWrite(
      ctx,
      ctx.primaryRegion,
      {
        TransactItems: [
          { Put: { TableName: ctx.names.tableName, Item: link, ...absent } },
          { Put: { TableName: ctx.names.tableName, Item: item, ...absent } },
          { ConditionCheck: { TableName: ctx.names.tableName, Key: userKey(ctx.names, userId), ...itemPresent(ctx.names.partitionKey) } },
        ],
      },
      "createAuthenticator",
    );
    if (!result.ok && result.codes[2] === "ConditionalCheckFailed") throw new NotFoundError("user", userId);
    if (!result.ok) throw duplicate();
  } else {
    // Strong consistency has no transactions: check the user, claim the
    // credential ID, then write the authenticator, undoing the claim on failure.
    const user = await sendGet(ctx, ctx.primaryRegion, { TableName: ctx.names.tableName, Key: userKey(ctx.names, userId), ConsistentRead: true }, "createAuthenticator");
    if (user.Item === undefined) throw new NotFoundError("user", userId);

    try {
      await sendPut(ctx, ctx.primaryRegion, { TableName: ctx.names.tableName, Item: link, ...absent }, "createAuthenticator");
    } catch (error) {
      if (isConditionFailure(error)) throw duplicate();
      throw error;
    }

    try {
      await sendPut(ctx, ctx.primaryRegion, { TableName: ctx.names.tableName, Item: item, ...absent }, "createAuthenticator");
    } catch (error) {
      await sendDelete(ctx, ctx.primaryRegion, { TableName: ctx.names.tableName, Key: authenticatorLinkKey(ctx.names, credentialID) }, "createAuthenticator");
      throw error;
    }
  }

  return authenticator;
}

async function readAuthenticatorOwner(ctx: AdapterContext, credentialID: string, operation: string): Promise<string | undefined> {
  const output = await sendGet(ctx, ctx.primaryRegion, { TableName: ctx.names.tableName, Key: authenticatorLinkKey(ctx.names, credentialID), ConsistentRead: true }, operation);
  const userId = output.Item?.userId;
  return typeof userId === "string" ? userId : undefined;
}

export async function getAuthenticator(ctx: AdapterContext, credentialID: string): Promise<AdapterAuthenticator | null> {
  if (!fitsKeyPart(credentialID, keyPrefix.authenticator.length)) return null;

  const userId = await readAuthenticatorOwner(ctx, credentialID, "getAuthenticator");
  if (userId === undefined) return null;

  const output = await sendGet(ctx, ctx.primaryRegion, { TableName: ctx.names.tableName, Key: authenticatorKey(ctx.names, userId, credentialID), ConsistentRead: true }, "getAuthenticator");
  return fromItem<AdapterAuthenticator>(output.Item, ctx.names);
}

/** Lists a user's authenticators with a consistent query of the user's partition, every page. */
export async function listAuthenticatorsByUserId(ctx: AdapterContext, userId: string): Promise<AdapterAuthenticator[]> {
  if (!fitsKeyPart(userId, keyPrefix.user.length)) return [];

  const authenticators: AdapterAuthenticator[] = [];
  let startKey: Record<string, unknown> | undefined;

  do {
    const page = await sendQuery(
      ctx,
      ctx.primaryRegion,
      {
        TableName: ctx.names.tableName,
        KeyConditionExpression: "#pk = :pk AND begins_with(#sk, :prefix)",
        ExpressionAttributeNames: { "#pk": ctx.names.partitionKey, "#sk": ctx.names.sortKey },
        ExpressionAttributeValues: { ":pk": userKey(ctx.names, userId)[ctx.names.partitionKey], ":prefix": keyPrefix.authenticator },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      },
      "listAuthenticatorsByUserId",
    );
    for (const item of page.Items ?? []) authenticators.push(fromItem<AdapterAuthenticator>(item, ctx.names) as AdapterAuthenticator);
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);

  return authenticators;
}

/**
 * Sets the signature counter under the condition that it does not go down,
 * so a replayed or cloned authenticator's lower counter is rejected even
 * when two verifications race. An equal counter is accepted, because
 * authenticators without a counter always report 0.
 */
export async function updateAuthenticatorCounter(ctx: AdapterContext, credentialID: string, newCounter: number): Promise<AdapterAuthenticator> {
  requireKeyPart("authenticator.credentialID", credentialID, keyPrefix.authenticator.length);
  requireCounter(newCounter);

  const userId = await readAuthenticatorOwner(ctx, credentialID, "updateAuthenticatorCounter");
  if (userId === undefined) throw new NotFoundError("authenticator", credentialID);

  try {
    const output = await sendUpdate(
      ctx,
      ctx.primaryRegion,
      {
        TableName: ctx.names.tableName,
        Key: authenticatorKey(ctx.names, userId, credentialID),
        UpdateExpression: "SET #counter = :counter",
        ConditionExpression: "attribute_exists(#pk) AND #counter <= :counter",
        ExpressionAttributeNames: { "#pk": ctx.names.partitionKey, "#counter": "counter" },
        ExpressionAttributeValues: { ":counter": newCounter },
        ReturnValues: "ALL_NEW",
      },
      "updateAuthenticatorCounter",
    );
    return fromItem<AdapterAuthenticator>(output.Attributes, ctx.names) as AdapterAuthenticator;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    if ((await getAuthenticator(ctx, credentialID)) === null) throw new NotFoundError("authenticator", credentialID, { cause: error });
    throw new CounterRegressionError(credentialID, newCounter, { cause: error });
  }
}
