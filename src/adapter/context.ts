import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { LRUCache } from "lru-cache";
import type { ResolvedRetryOptions } from "../regions/retry.js";
import type { ResolvedTableOptions } from "../table-options.js";
import { RetriesExhaustedError } from "../errors/index.js";
import { withRetry } from "../regions/retry.js";
import { errorName, mapRequestError } from "./errors-map.js";
import type { EventListener } from "./events.js";

/** Milliseconds since the Unix epoch; tests inject a fixed or stepping clock. */
export interface Clock {
  now(): number;
}

/** Bound on remembered cross-region writes; past it the oldest are forgotten and read locally again. */
const recentWriteEntries = 10_000;

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
  /** Records that this adapter wrote an item in `region`, so its next reads of the item go there while replication catches up. */
  markWritten(entity: "user" | "session", id: string, region: string): void;
  /** True while reads of the item should skip the local replica because this adapter wrote it elsewhere moments ago. */
  writtenElsewhereRecently(entity: "user" | "session", id: string): boolean;
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
  /** Milliseconds to read an item from the region this adapter wrote it in; 0 turns it off. */
  recentWriteWindow: number;
}

export function createContext(settings: ContextSettings): AdapterContext {
  const { clients, emit, names } = settings;
  const routesByOwner = settings.global && settings.consistency === "eventual";
  const recentWrites =
    routesByOwner && settings.recentWriteWindow > 0 ? new LRUCache<string, true>({ max: recentWriteEntries, ttl: settings.recentWriteWindow, ttlResolution: 0, perf: settings.clock }) : undefined;

  return {
    names,
    clock: settings.clock,
    retry: settings.retry,
    legacyLookups: settings.legacyLookups,
    emit,
    global: settings.global,
    transactions: settings.consistency === "eventual",
    routesByOwner,
    localRegion: settings.localRegion,
    primaryRegion: settings.primaryRegion,
    regions: [...clients.keys()],
    markWritten(entity, id, region) {
      if (recentWrites !== undefined && region !== settings.localRegion) recentWrites.set(`${entity}:${id}`, true);
    },
    writtenElsewhereRecently(entity, id) {
      return recentWrites?.get(`${entity}:${id}`) === true;
    },
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
          let attempts = 1;
          try {
            return await withRetry(
              settings.retry,
              (retryError) => (errorName(retryError) === "ReplicatedWriteConflictException" ? "retry" : "fail"),
              () => {
                attempts += 1;
                return attempt();
              },
              (retryError, count) => emit?.({ type: "retry", operation, attempt: count + 1, reason: errorName(retryError) }),
            );
          } catch (retryError) {
            if (errorName(retryError) !== "ReplicatedWriteConflictException") throw retryError;
            throw new RetriesExhaustedError(operation, attempts, "other regions kept writing the same item at the same time; retry the operation.", { cause: retryError });
          }
        }
      } catch (error) {
        throw mapRequestError(error, { tableName: names.tableName, indexName: names.indexName, region, global: settings.global, operation });
      }
    },
  };
}
