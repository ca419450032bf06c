import { ItemTooLargeError, RegionUnavailableError, TableSchemaError } from "../errors/index.js";

const networkErrorNames = new Set(["TimeoutError", "NetworkingError", "RequestTimeout", "RequestTimeoutException", "AbortError"]);
const networkErrorCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EPIPE", "EAI_AGAIN"]);

/** Name of an AWS SDK error, or an empty string. */
export function errorName(error: unknown): string {
  return typeof error === "object" && error !== null && typeof (error as { name?: unknown }).name === "string" ? (error as { name: string }).name : "";
}

/** True when a request failed before DynamoDB responded: a timeout, a refused or reset connection. */
export function isNetworkError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return networkErrorNames.has(errorName(error)) || (typeof code === "string" && networkErrorCodes.has(code));
}

/** True for a failed condition expression on a single-item write. */
export function isConditionFailure(error: unknown): boolean {
  return errorName(error) === "ConditionalCheckFailedException";
}

/** Cancellation reason codes of a failed transaction, one per action in order. */
export function cancellationCodes(error: unknown): string[] | undefined {
  if (errorName(error) !== "TransactionCanceledException") return undefined;
  const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
  return reasons?.map((reason) => reason.Code ?? "None");
}

/** True when DynamoDB cancelled a transaction because another request touched the same items. */
export function isTransactionConflict(error: unknown): boolean {
  if (errorName(error) === "TransactionConflictException") return true;
  const codes = cancellationCodes(error);
  return codes !== undefined && codes.includes("TransactionConflict") && !codes.includes("ConditionalCheckFailed");
}

/**
 * Maps DynamoDB's errors about the table's shape, item size and unreachable
 * regions to typed errors that name the fix. Other errors pass through unchanged.
 */
export function mapRequestError(error: unknown, context: { tableName: string; indexName: string; region: string; global: boolean; operation: string }): unknown {
  const name = errorName(error);
  const message = error instanceof Error ? error.message : "";
  const where = context.global ? ` in region ${context.region}` : "";

  if (name === "ResourceNotFoundException") {
    return new TableSchemaError(
      context.tableName,
      `the table was not found${where}. Create it with \`npx authjs-dynamodb-global create-table --table ${context.tableName}\` or set the tableName option.`,
      { cause: error },
    );
  }

  if (name === "ValidationException" && /index/i.test(message) && message.includes(context.indexName)) {
    return new TableSchemaError(
      context.tableName,
      `the global secondary index ${context.indexName} was not found${where}. Create the table with \`npx authjs-dynamodb-global create-table\`, or set indexName, indexPartitionKey and indexSortKey to the table's index.`,
      { cause: error },
    );
  }

  if (name === "ValidationException" && /(key element does not match the schema|required keys was not given a value)/i.test(message)) {
    return new TableSchemaError(
      context.tableName,
      `its key attributes differ from the adapter's partitionKey and sortKey options${where}. Set partitionKey, sortKey, indexPartitionKey and indexSortKey to the table's attribute names, or check them with \`npx authjs-dynamodb-global verify-table\`.`,
      { cause: error },
    );
  }

  if (name === "ValidationException" && /item size/i.test(message)) return new ItemTooLargeError(context.operation, undefined, { cause: error });
  if (context.global && isNetworkError(error)) return new RegionUnavailableError(context.region, context.operation, { cause: error });

  return error;
}
