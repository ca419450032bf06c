/**
 * Events the adapter publishes through the `onEvent` option. Nothing is
 * built when no listener is set. Session keys are digests, never raw tokens.
 */
export type AdapterEvent =
  | {
      readonly type: "cache";
      readonly action: "hit" | "miss" | "stale" | "coalesced" | "evict" | "expire" | "refresh-error";
      readonly entity: "session" | "user";
      /** A user ID, or the first 12 hex characters of a session token's SHA-256 digest. */
      readonly key: string;
    }
  | {
      /** A read that missed or found an expired copy locally and asked the item's owner region. */
      readonly type: "fallback-read";
      readonly entity: "session" | "user";
      readonly region: string;
      readonly found: boolean;
    }
  | {
      readonly type: "retry";
      readonly operation: string;
      /** Number of the attempt that failed, from 1. */
      readonly attempt: number;
      /** Name of the error that caused the retry, such as `TransactionCanceledException`. */
      readonly reason: string;
    }
  | {
      /** One DynamoDB request sent by the adapter. */
      readonly type: "request";
      readonly region: string;
      readonly command: string;
    };

export type EventListener = (event: AdapterEvent) => void;
