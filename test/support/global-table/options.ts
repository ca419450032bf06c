import type { TableOptions } from "../../../src/table-options.js";
import { validateLagSetting, type LagSetting } from "./lag.js";

/** Options of {@link startGlobalTable}. */
export interface GlobalTableOptions {
  /**
   * DynamoDB Local endpoint on a loopback address, such as
   * `inject("dynamoEndpoint")` in a vitest file or `startDynamoDBLocal().endpoint`.
   */
  readonly endpoint: string;
  /**
   * Region names of the replicas, such as `["us-east-1", "eu-west-1"]`. Each
   * name selects its own database inside the one DynamoDB Local process.
   */
  readonly regions: readonly string[];
  /**
   * Key and index names of the table. The table name defaults to a new
   * `global-<uuid>` so that tests sharing one DynamoDB Local never collide.
   * @default the adapter's default key names and a unique table name
   */
  readonly table?: TableOptions;
  /**
   * Replication lag of every link at the start. `setLag` changes it later.
   * @default { mode: "zero" }
   */
  readonly lag?: LagSetting;
  /**
   * Time between two poll rounds, in milliseconds. Each round sends one
   * GetRecords request per open shard of every region and then runs the due
   * replica writes, so zero lag means a delay of about one interval.
   * @default 20
   */
  readonly pollIntervalMs?: number;
}

/** Options with every default applied. */
export interface ResolvedGlobalTableOptions {
  readonly endpoint: string;
  readonly regions: readonly string[];
  readonly table: TableOptions;
  readonly lag: LagSetting;
  readonly pollIntervalMs: number;
}

const optionKeys = new Set(["endpoint", "regions", "table", "lag", "pollIntervalMs"]);
const loopbackHosts = new Set(["127.0.0.1", "localhost", "[::1]"]);

function validateEndpoint(endpoint: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof endpoint === "string" ? new URL(endpoint) : undefined;
  } catch {
    url = undefined;
  }

  // Only loopback endpoints are accepted, so a test can never send requests to AWS.
  if (url === undefined || !loopbackHosts.has(url.hostname)) {
    throw new TypeError(`Expected \`endpoint\` to be a DynamoDB Local URL on a loopback address such as http://127.0.0.1:8000, got ${JSON.stringify(endpoint)}.`);
  }

  return endpoint as string;
}

function validateRegions(regions: unknown): readonly string[] {
  const valid =
    Array.isArray(regions) &&
    regions.length >= 2 &&
    regions.every((region) => typeof region === "string" && /^[a-z0-9-]+$/.test(region)) &&
    new Set(regions).size === regions.length;

  if (!valid) {
    throw new TypeError(`Expected \`regions\` to be at least two distinct region names such as "us-east-1", got ${JSON.stringify(regions)}.`);
  }

  return [...(regions as string[])];
}

/** Applies defaults and rejects unknown keys and invalid values, before any request is sent. */
export function resolveGlobalTableOptions(options: GlobalTableOptions): ResolvedGlobalTableOptions {
  for (const key of Object.keys(options)) {
    if (!optionKeys.has(key)) throw new TypeError(`Unknown option \`${key}\`. Expected one of ${[...optionKeys].join(", ")}.`);
  }

  const lag = options.lag ?? { mode: "zero" };
  validateLagSetting(lag);

  const pollIntervalMs = options.pollIntervalMs ?? 20;
  if (!Number.isFinite(pollIntervalMs) || pollIntervalMs < 1) {
    throw new TypeError(`Expected \`pollIntervalMs\` to be a number of milliseconds >= 1, got ${String(pollIntervalMs)}.`);
  }

  return {
    endpoint: validateEndpoint(options.endpoint),
    regions: validateRegions(options.regions),
    table: options.table ?? {},
    lag,
    pollIntervalMs,
  };
}
