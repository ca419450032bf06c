import type { TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { RetriesExhaustedError } from "../errors/index.js";
import { withRetry } from "../regions/retry.js";
import type { AdapterContext } from "./context.js";
import { cancellationCodes, errorName, isTransactionConflict } from "./errors-map.js";
import { sendTransactWrite } from "./requests.js";

/**
 * Runs a transaction, retrying only when DynamoDB cancelled it for a
 * conflict with another request. A failed condition returns the per-action
 * cancellation codes, so the caller can name which uniqueness rule failed.
 */
export async function transactWrite(
  ctx: AdapterContext,
  region: string,
  input: TransactWriteCommandInput,
  operation: string,
): Promise<{ ok: true } | { ok: false; codes: string[] }> {
  let attempts = 0;

  try {
    await withRetry(
      ctx.retry,
      (error) => (isTransactionConflict(error) ? "retry" : "fail"),
      () => {
        attempts += 1;
        return sendTransactWrite(ctx, region, input, operation);
      },
      (error, attempt) => ctx.emit?.({ type: "retry", operation, attempt, reason: errorName(error) }),
    );
    return { ok: true };
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes !== undefined && codes.includes("ConditionalCheckFailed")) return { ok: false, codes };
    if (isTransactionConflict(error)) {
      throw new RetriesExhaustedError(operation, attempts, "DynamoDB kept cancelling the transaction for conflicts with other requests on the same items; retry the operation.", { cause: error });
    }
    throw error;
  }
}
