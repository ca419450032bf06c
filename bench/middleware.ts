import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";

/** Counters that the instrumented clients of one scenario add to. */
export interface RequestMeter {
  /** HTTP requests sent to DynamoDB, retries included. */
  requests: number;
  /** Read commands (GetItem, Query, BatchGetItem, TransactGetItems, Scan). */
  readCommands: number;
  /** Read commands whose response carried `ConsumedCapacity`. */
  capacityReports: number;
  /** Read capacity units summed over every `ConsumedCapacity` received. */
  readCapacityUnits: number;
}

/** Simulated one-way-plus-return time added to each request, by distance from the caller. */
export interface NetworkDelay {
  /** Milliseconds added to each request to the caller's own region. */
  localMs: number;
  /** Milliseconds added to each request to another region. */
  remoteMs: number;
}

/** Whether a client talks to the caller's own region or to another one. */
export type Distance = "local" | "remote";

export function createRequestMeter(): RequestMeter {
  return { requests: 0, readCommands: 0, capacityReports: 0, readCapacityUnits: 0 };
}

export function copyRequestMeter(meter: RequestMeter): RequestMeter {
  return { ...meter };
}

const readCommandNames = new Set(["GetItemCommand", "QueryCommand", "BatchGetItemCommand", "TransactGetItemsCommand", "ScanCommand"]);

interface CapacityEntry {
  readonly CapacityUnits?: number;
}

function sumCapacityUnits(consumed: unknown): number | undefined {
  if (consumed === undefined || consumed === null) return undefined;

  const entries = (Array.isArray(consumed) ? consumed : [consumed]) as CapacityEntry[];

  return entries.reduce((total, entry) => total + (entry.CapacityUnits ?? 0), 0);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Adds the benchmark's middleware to a client: one that sets
 * `ReturnConsumedCapacity: "TOTAL"` on every read and sums what comes back,
 * and one that counts each HTTP attempt and waits the simulated delay before
 * sending it. The adapters never request consumed capacity themselves, and
 * requesting it changes neither the result nor the capacity a read consumes.
 *
 * `delay` is read on every request, so a caller can switch it between phases.
 */
export function instrumentClient(client: DynamoDBClient, meter: RequestMeter, delay: NetworkDelay, distance: Distance): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!readCommandNames.has(context.commandName ?? "")) return next(args);

      meter.readCommands += 1;
      const input = { ...(args.input as object), ReturnConsumedCapacity: "TOTAL" };
      const result = await next({ ...args, input: input as typeof args.input });
      const units = sumCapacityUnits((result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity);

      if (units !== undefined) {
        meter.capacityReports += 1;
        meter.readCapacityUnits += units;
      }

      return result;
    },
    { step: "initialize", name: "benchConsumedCapacity" },
  );

  // In the finalizeRequest step at low priority, this runs inside the SDK's
  // retry middleware, so each retry attempt is counted and delayed as well.
  client.middlewareStack.add(
    (next) => async (args) => {
      meter.requests += 1;

      const ms = distance === "local" ? delay.localMs : delay.remoteMs;
      if (ms > 0) await sleep(ms);

      return next(args);
    },
    { step: "finalizeRequest", priority: "low", name: "benchRequestCountAndDelay" },
  );
}
