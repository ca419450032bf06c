import type { VerificationToken } from "@auth/core/adapters";
import { InvalidInputError } from "../errors/index.js";
import { assertItemFits, fitsKeyPart, fromItem, isExpired, requireDate, requireKeyPart, reservedAttributeNames, toAttributes } from "./codec.js";
import type { AdapterContext } from "./context.js";
import { isConditionFailure } from "./errors-map.js";
import { itemType, keyPrefix, legacyVerificationRequestKey, verificationTokenKey } from "./keys.js";
import { sendDelete, sendPut } from "./requests.js";
import { itemAbsent, itemPresent } from "./expressions.js";

/** Stores a verification token in the primary region; an existing identical token is never overwritten. */
export async function createVerificationToken(ctx: AdapterContext, token: VerificationToken): Promise<VerificationToken> {
  requireKeyPart("verificationToken.identifier", token.identifier, keyPrefix.verificationToken.length);
  requireKeyPart("verificationToken.token", token.token, keyPrefix.verificationToken.length);
  requireDate("verificationToken.expires", token.expires);

  const item = {
    ...verificationTokenKey(ctx.names, token.identifier, token.token),
    type: itemType.verificationToken,
    ...toAttributes("verificationToken", token as unknown as Record<string, unknown>, reservedAttributeNames(ctx.names, true)),
  };
  assertItemFits("verificationToken", item);

  try {
    await sendPut(ctx, ctx.primaryRegion, { TableName: ctx.names.tableName, Item: item, ...itemAbsent(ctx.names.partitionKey) }, "createVerificationToken");
  } catch (error) {
    if (isConditionFailure(error)) throw new InvalidInputError("verificationToken.token", "This verification token already exists; Auth.js generates a new random token for every sign-in email.");
    throw error;
  }

  return token;
}

/**
 * Consumes a verification token with a DeleteItem conditioned on the item
 * existing, in the primary region, so of any number of concurrent calls in
 * any regions exactly one gets the token. Expired tokens are deleted and
 * return null. Tokens stored by next-auth v3 (`VR#` keys) are read too.
 */
export async function useVerificationToken(ctx: AdapterContext, params: { identifier: string; token: string }): Promise<VerificationToken | null> {
  const prefix = keyPrefix.legacyVerificationRequest.length;
  if (!fitsKeyPart(params.identifier, prefix) || !fitsKeyPart(params.token, prefix)) return null;

  const keys = [verificationTokenKey(ctx.names, params.identifier, params.token)];
  if (ctx.legacyLookups) keys.push(legacyVerificationRequestKey(ctx.names, params.identifier, params.token));

  for (const key of keys) {
    const item = await deleteIfPresent(ctx, key);
    if (item === undefined) continue;
    if (isExpired(item.expires, ctx.clock.now())) return null;

    const stored = fromItem<VerificationToken>(item, ctx.names) as VerificationToken;
    return { identifier: params.identifier, token: params.token, expires: stored.expires };
  }

  return null;
}

/**
 * Deletes an item and returns it, or undefined when it was already gone. The
 * condition matters: without it, concurrent deletes may each report the old
 * item (DynamoDB Local does), and the token would be used twice.
 */
async function deleteIfPresent(ctx: AdapterContext, key: Record<string, string>) {
  try {
    const output = await sendDelete(
      ctx,
      ctx.primaryRegion,
      { TableName: ctx.names.tableName, Key: key, ...itemPresent(ctx.names.partitionKey), ReturnValues: "ALL_OLD" },
      "useVerificationToken",
    );
    return output.Attributes;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}
