import { setTimeout as sleep } from "node:timers/promises";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";

/** Simulated time that each request spends on the network before it is sent, in milliseconds. */
export interface NetworkDelay {
  /**
   * Delay of a request to the caller's own region.
   * @default 0
   */
  readonly localMs?: number;
  /**
   * Delay of a request to another region.
   * @default 0
   */
  readonly remoteMs?: number;
}

/** Selects requests by the region that sent them, the region they went to and the SDK command name. */
export interface RequestFilter {
  readonly caller?: string;
  readonly target?: string;
  /** Low-level command name, such as `GetItemCommand` (a DocumentClient `GetCommand` counts as this one). */
  readonly command?: string;
}

/**
 * The error a client of the simulated network gets for a request to an
 * unreachable region. It looks like a socket timeout from the SDK's Node.js
 * HTTP handler: name `TimeoutError`, code `ETIMEDOUT` and `$metadata`, which
 * the SDK classifies as a transient error.
 */
export class SimulatedNetworkError extends Error {
  override readonly name = "TimeoutError" as const;
  readonly code = "ETIMEDOUT" as const;
  readonly $metadata = { attempts: 1, totalRetryDelay: 0 };
  readonly caller: string;
  readonly target: string;
  readonly command: string;

  constructor(caller: string, target: string, command: string) {
    super(`Simulated network failure: region ${target} is unreachable from ${caller}, so ${command} was not sent. Call setUnreachable("${target}", false) to restore it.`);
    this.caller = caller;
    this.target = target;
    this.command = command;
  }
}

function countKey(caller: string, target: string, command: string): string {
  return JSON.stringify([caller, target, command]);
}

/**
 * Network between callers and regions, applied as SDK middleware to every
 * client built by {@link SimulatedNetwork.attach}. It runs once per `send`,
 * before the SDK's own retries, so an unreachable region fails at once and a
 * count is one per command.
 */
export class SimulatedNetwork {
  readonly #unreachable = new Set<string>();
  readonly #counts = new Map<string, number>();
  #delay = { localMs: 0, remoteMs: 0 };

  /** Makes every request to `region` fail with {@link SimulatedNetworkError}, or restores it. */
  setUnreachable(region: string, unreachable: boolean): void {
    if (unreachable) this.#unreachable.add(region);
    else this.#unreachable.delete(region);
  }

  setDelay(delay: NetworkDelay): void {
    for (const [name, value] of Object.entries(delay)) {
      if (value === undefined) continue;

      if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
        throw new TypeError(`Expected \`${name}\` to be a finite number of milliseconds >= 0, got ${String(value)}.`);
      }
    }

    this.#delay = { localMs: delay.localMs ?? 0, remoteMs: delay.remoteMs ?? 0 };
  }

  /** Counts the requests sent that match `filter`. Requests to an unreachable region are never sent, so never counted. */
  requestCount(filter: RequestFilter = {}): number {
    let total = 0;

    for (const [key, count] of this.#counts) {
      const [caller, target, command] = JSON.parse(key) as [string, string, string];
      const matches = (filter.caller ?? caller) === caller && (filter.target ?? target) === target && (filter.command ?? command) === command;

      if (matches) total += count;
    }

    return total;
  }

  resetRequestCounts(): void {
    this.#counts.clear();
  }

  /** Routes every request of `client` through this network, as sent from `caller` to `target`. */
  attach(client: DynamoDBClient, caller: string, target: string): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = context.commandName ?? "UnknownCommand";

        if (this.#unreachable.has(target)) throw new SimulatedNetworkError(caller, target, command);

        const key = countKey(caller, target, command);
        this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);

        const delayMs = caller === target ? this.#delay.localMs : this.#delay.remoteMs;
        if (delayMs > 0) await sleep(delayMs);

        return next(args);
      },
      { step: "initialize", priority: "high", name: "simulatedNetwork" },
    );
  }
}
