import pRetry, { AbortError } from "p-retry";
import { optionalInteger, optionalObject, rejectUnknownKeys } from "../validate.js";

/**
 * Bounds of the retries this package runs itself: replication races,
 * transaction conflicts and unprocessed batch items. Throttling and 5xx
 * errors are retried by the AWS SDK before they reach this layer.
 */
export interface RetryOptions {
  /**
   * Retries after the first attempt.
   * @default 4
   */
  readonly retries?: number;
  /**
   * Delay before the first retry, in milliseconds; each later delay doubles, with random jitter up to 2x.
   * @default 20
   */
  readonly minTimeout?: number;
  /**
   * Maximum delay between two attempts, in milliseconds.
   * @default 500
   */
  readonly maxTimeout?: number;
  /**
   * Maximum total time spent on one operation including its retries, in milliseconds.
   * @default 3000
   */
  readonly maxRetryTime?: number;
}

export type ResolvedRetryOptions = Required<RetryOptions>;

const retryOptionKeys = ["retries", "minTimeout", "maxTimeout", "maxRetryTime"] as const;

export function resolveRetryOptions(value: unknown): ResolvedRetryOptions {
  const options = optionalObject("retry", value) ?? {};
  rejectUnknownKeys("retry", options, retryOptionKeys);

  return {
    retries: optionalInteger("retry.retries", options.retries, 4, 0, 20),
    minTimeout: optionalInteger("retry.minTimeout", options.minTimeout, 20, 0, 60_000),
    maxTimeout: optionalInteger("retry.maxTimeout", options.maxTimeout, 500, 0, 60_000),
    maxRetryTime: optionalInteger("retry.maxRetryTime", options.maxRetryTime, 3000, 0, 600_000),
  };
}

/** What the caller of {@link withRetry} decides about one failure. */
export type RetryDecision = "retry" | "fail";

/**
 * Runs `operation` with jittered exponential backoff while `classify` reports
 * the failure as one the application can resolve by waiting. Any other
 * error, a condition failure in particular, is thrown at once.
 */
export async function withRetry<T>(
  options: ResolvedRetryOptions,
  classify: (error: unknown) => RetryDecision,
  operation: (attempt: number) => Promise<T>,
  onRetry?: (error: unknown, attempt: number) => void,
  signal?: AbortSignal,
): Promise<T> {
  return pRetry(
    async (attempt) => {
      try {
        return await operation(attempt);
      } catch (error) {
        if (classify(error) === "fail") throw new AbortError(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
    },
    {
      retries: options.retries,
      minTimeout: options.minTimeout,
      maxTimeout: options.maxTimeout,
      maxRetryTime: options.maxRetryTime,
      randomize: true,
      signal,
      onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
        if (retriesLeft > 0) onRetry?.(error, attemptNumber);
      },
    },
  );
}
