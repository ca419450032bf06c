/** Stable identifiers of every error this package throws. */
export type AdapterErrorCode =
  | "InvalidOption"
  | "InvalidInput"
  | "ItemTooLarge"
  | "EmailInUse"
  | "AccountAlreadyLinked"
  | "NotFound"
  | "CounterRegression"
  | "TableSchema"
  | "RetriesExhausted"
  | "RegionUnavailable";

/**
 * Base class of every error this package throws. `code` is stable across
 * versions, so callers branch on it instead of parsing `message`.
 */
export class AdapterError extends Error {
  override name: string = "AdapterError";
  readonly code: AdapterErrorCode;

  constructor(code: AdapterErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** Type guard for any error thrown by this package, optionally of one `code`. */
export function isAdapterError(error: unknown, code?: AdapterErrorCode): error is AdapterError {
  return error instanceof AdapterError && (code === undefined || error.code === code);
}
