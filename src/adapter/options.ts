import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { CacheOptions } from "../cache/index.js";
import { InvalidOptionError } from "../errors/index.js";
import type { GlobalOptions } from "../regions/options.js";
import type { RetryOptions } from "../regions/retry.js";
import { tableOptionKeys, type TableOptions } from "../table-options.js";
import type { Clock } from "./context.js";
import type { EventListener } from "./events.js";

/** Options of {@link DynamoDBAdapter}; the table options are the official adapter's. */
export interface DynamoDBAdapterOptions extends TableOptions {
  /**
   * The in-process cache of sessions and users, or `false` to read DynamoDB
   * on every call. With the cache on, another process's sign-out or user
   * change is seen here after at most `cache.ttl` milliseconds.
   * @default `{}` (on, with the cache's own defaults)
   */
  readonly cache?: false | CacheOptions;
  /**
   * Global mode: several regions over one global table. Without it, every
   * request goes to the `client` passed to the adapter.
   * @default undefined (single region)
   */
  readonly global?: GlobalOptions;
  /**
   * Bounds of the retries this package runs itself (transaction conflicts,
   * unprocessed batch items). The AWS SDK retries throttling on its own.
   * @default `{ retries: 4, minTimeout: 20, maxTimeout: 500, maxRetryTime: 3000 }` (milliseconds)
   */
  readonly retry?: RetryOptions;
  /**
   * Whether look-ups that miss this package's own items fall back to a query
   * of the index, to find items the official adapter wrote before the
   * switch. Turning it off saves one index query per miss once those
   * sessions have expired.
   * @default true
   */
  readonly legacyLookups?: boolean;
  /**
   * Source of the current time in epoch milliseconds, for expiry checks and
   * the cache's TTL.
   * @default `{ now: Date.now }`
   */
  readonly clock?: Clock;
  /**
   * Receives cache, fallback-read, retry and request events, for counters or
   * logs. Nothing is built or sent when it is not set; session tokens appear
   * only as digests.
   * @default undefined
   */
  readonly onEvent?: EventListener;
}

export const adapterOptionKeys = [...tableOptionKeys, "cache", "global", "retry", "legacyLookups", "clock", "onEvent"] as const;

/**
 * Throws when `client` is not an AWS SDK v3 DocumentClient, the most common
 * wiring mistake: a low-level `DynamoDBClient` sends unmarshalled values and
 * an aws-sdk v2 client has no `send`.
 */
export function assertDocumentClient(path: string, client: unknown): asserts client is DynamoDBDocumentClient {
  const candidate = client as { send?: unknown; config?: object; service?: unknown } | null | undefined;

  if (candidate === null || typeof candidate !== "object" || typeof candidate.send !== "function") {
    const isV2 = candidate !== null && typeof candidate === "object" && ("service" in candidate || typeof (candidate as { get?: unknown }).get === "function");
    throw new InvalidOptionError(
      path,
      client,
      isV2
        ? "an AWS SDK v3 DocumentClient, but this looks like an aws-sdk v2 client; build one with `DynamoDBDocument.from(new DynamoDBClient({...}))` from @aws-sdk/lib-dynamodb"
        : "a DynamoDBDocument or DynamoDBDocumentClient from @aws-sdk/lib-dynamodb",
    );
  }

  if (candidate.config === undefined || !("translateConfig" in candidate.config)) {
    throw new InvalidOptionError(
      path,
      client,
      "a DynamoDBDocument or DynamoDBDocumentClient, but this is a low-level DynamoDBClient; wrap it with `DynamoDBDocument.from(client)` from @aws-sdk/lib-dynamodb",
    );
  }
}
