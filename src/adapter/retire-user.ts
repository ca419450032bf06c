import { RetriesExhaustedError } from "../errors/index.js";
import { withRetry } from "../regions/retry.js";
import type { Item } from "./codec.js";
import type { AdapterContext } from "./context.js";
import { errorName, isConditionFailure } from "./errors-map.js";
import { emailKey, userKey } from "./keys.js";
import { sendDelete } from "./requests.js";
import { transactWrite } from "./transactions.js";
import { readUserItem, releaseEmail } from "./users.js";

class UserChangedConcurrently extends Error {
  override name = "UserChangedConcurrently";
}

/**
 * Deletes the user item and its email look-up item together, conditioned on
 * the email read just before, and returns the deleted item. From then on
 * linkAccount, createAuthenticator and updateUser fail their user-exists
 * conditions, so nothing new can attach to the user while its partition is
 * cleared. Returns undefined when the user item is already gone.
 */
export async function retireUser(ctx: AdapterContext, userId: string): Promise<Item | undefined> {
  let attempts = 0;

  const attempt = async (): Promise<Item | undefined> => {
    attempts += 1;
    const current = await readUserItem(ctx, ctx.primaryRegion, userId);
    if (current === undefined) return undefined;

    const email = typeof current.email === "string" && current.email.length > 0 ? current.email : undefined;
    const deleted = ctx.transactions ? await deleteInTransaction(ctx, userId, email) : await deleteInSequence(ctx, userId, email);
    if (!deleted) throw new UserChangedConcurrently();
    return current;
  };

  try {
    return await withRetry(
      ctx.retry,
      (error) => (error instanceof UserChangedConcurrently ? "retry" : "fail"),
      attempt,
      (error, count) => ctx.emit?.({ type: "retry", operation: "deleteUser", attempt: count, reason: errorName(error) }),
    );
  } catch (error) {
    if (error instanceof UserChangedConcurrently) throw new RetriesExhaustedError("deleteUser", attempts, "the user's email kept changing while it was being deleted", { cause: error });
    throw error;
  }
}

/** Builds the condition that the user still exists with the email read before. */
function unchangedUser(ctx: AdapterContext, email: string | undefined) {
  return {
    ConditionExpression: email === undefined ? "attribute_exists(#pk) AND (attribute_not_exists(#email) OR #email = :empty OR attribute_type(#email, :null))" : "attribute_exists(#pk) AND #email = :email",
    ExpressionAttributeNames: { "#pk": ctx.names.partitionKey, "#email": "email" },
    ExpressionAttributeValues: email === undefined ? { ":empty": "", ":null": "NULL" } : { ":email": email },
  };
}

async function deleteInTransaction(ctx: AdapterContext, userId: string, email: string | undefined): Promise<boolean> {
  const { tableName, partitionKey } = ctx.names;
  const actions: NonNullable<Parameters<typeof transactWrite>[2]["TransactItems"]> = [{ Delete: { TableName: tableName, Key: userKey(ctx.names, userId), ...unchangedUser(ctx, email) } }];

  if (email !== undefined) {
    actions.push({
      Delete: {
        TableName: tableName,
        Key: emailKey(ctx.names, email),
        ConditionExpression: "attribute_not_exists(#pk) OR #userId = :userId",
        ExpressionAttributeNames: { "#pk": partitionKey, "#userId": "userId" },
        ExpressionAttributeValues: { ":userId": userId },
      },
    });
  }

  return (await transactWrite(ctx, ctx.primaryRegion, { TransactItems: actions }, "deleteUser")).ok;
}

/** Strong consistency has no transactions: the user item goes first, then the email item it named. */
async function deleteInSequence(ctx: AdapterContext, userId: string, email: string | undefined): Promise<boolean> {
  try {
    await sendDelete(ctx, ctx.primaryRegion, { TableName: ctx.names.tableName, Key: userKey(ctx.names, userId), ...unchangedUser(ctx, email) }, "deleteUser");
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }

  if (email !== undefined) await releaseEmail(ctx, email, userId, "deleteUser");
  return true;
}
