import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { ResolvedRetryOptions } from "../regions/retry.js";
import type { ResolvedTableOptions } from "../table-options.js";
import { withRetry } from "../regions/retry.js";
import { errorName, mapRequestError } from "./errors-map.js";
import type { EventListener } from "./events.js";

/** Milliseconds since the Unix epoch; tests inject a fixed or stepping clock. */
export interface Clock {
  now(): number;
}

/** Region name used for the single client when global mode is off. */
export const singleRegion = "local";

/** Everything the adapter's methods share: names, clients, clock, options and the event sink. */
export interface AdapterContext {
  readonly names: ResolvedTableOptions;
  readonly clock: Clock;
  readonly retry: ResolvedRetryOptions;
  /** Whether look-ups fall back to the index for items the official adapter wrote. */
  readonly legacyLookups: boolean;
  readonly emit: EventListener | undefined;
  /** True in global mode. */
  readonly global: boolean;
  /** False in multi-region strong consistency, which has no transactions. */
  readonly transactions: boolean;
  /** True when owner-region writes and fallback reads apply (global mode, eventual consistency). */
  readonly routesByOwner: boolean;
  readonly localRegion: string;
  readonly primaryRegion: string;
  readonly regions: readonly string[];
  /** Sends `command` to `region`, maps schema, size and network errors to typed errors, and publishes a request event. */
  send(region: string, command: object, operation: string): Promise<unknown>;
}

export interface ContextSettings {
  names: ResolvedTableOptions;
  clock: Clock;
  retry: ResolvedRetryOptions;
  legacyLookups: boolean;
  emit: EventListener | undefined;
  clients: ReadonlyMap<string, DynamoDBDocumentClient>;
  global: boolean;
  consistency: "eventual" | "strong";
  localRegion: string;
  primaryRegion: string;
}

export function createContext(settings: ContextSettings): AdapterContext {
  const { clients, emit, names } = settings;

  return {
    names,
    clock: settings.clock,
    retry: settings.retry,
    legacyLookups: settings.legacyLookups,
    emit,
    global: settings.global,
    transactions: settings.consistency === "eventual",
    routesByOwner: settings.global && settings.consistency === "eventual",
    localRegion: settings.localRegion,
    primaryRegion: settings.primaryRegion,
    regions: [...clients.keys()],
    async send(region: string, command: object, operation: string): Promise<unknown> {
      const client = clients.get(region);
      if (client === undefined) throw new Error(`No DynamoDB client for region ${region}.`);

      const attempt = async () => {
        if (emit !== undefined) emit({ type: "request", region, command: command.constructor.name });
        return client.send(command as never);
      };

      try {
        try {
          return await attempt();
        } catch (error) {
          if (errorName(error) !== "ReplicatedWriteConflictException") throw error;

          // Multi-region strong consistency rejects one of two concurrent
          // writes to an item with this error; DynamoDB documents it as safe
          // to retry, and conditions are evaluated again on each attempt.
          emit?.({ type: "retry", operation, attempt: 1, reason: errorName(error) });
          return await withRetry(
            settings.retry,
            (retryError) => (errorName(retryError) === "ReplicatedWriteConflictException" ? "retry" : "fail"),
            attempt,
            (retryError, count) => emit?.({ type: "retry", operation, attempt: count + 1, reason: errorName(retryError) }),
          );
        }
      } catch (error) {
        throw mapRequestError(error, { tableName: names.tableName, indexName: names.indexName, region, global: settings.global, operation });
      }
    },
  };
}
