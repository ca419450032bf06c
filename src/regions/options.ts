import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { InvalidOptionError } from "../errors/index.js";
import { optionalInteger, optionalObject, rejectUnknownKeys } from "../validate.js";
import { regionNamePattern } from "./session-token.js";

/**
 * Global mode: the app runs in several regions over one DynamoDB global
 * table. The client passed to `DynamoDBAdapter` is the local region's.
 */
export interface GlobalOptions {
  /** Every region that has a replica of the table, the local one included. */
  readonly regions: readonly string[];
  /** The region this process runs in; reads go there first. */
  readonly localRegion: string;
  /**
   * The region that writes identity items (users, accounts, verification
   * tokens, authenticators), so their uniqueness conditions run in one place.
   * @default the first entry of `regions`
   */
  readonly primaryRegion?: string;
  /**
   * A DocumentClient per region. The local region may be left out, because
   * the adapter's `client` argument serves it.
   * @default undefined (every other region then comes from `createClient`)
   */
  readonly clients?: Readonly<Record<string, DynamoDBDocumentClient>>;
  /**
   * Builds the client of a region missing from `clients`. Called once per
   * region, when the adapter is built.
   * @default undefined (then `clients` must name every other region)
   */
  readonly createClient?: (region: string) => DynamoDBDocumentClient;
  /**
   * `"eventual"` for global tables in multi-region eventual consistency (the
   * default mode of DynamoDB global tables): writes go to the item's owner
   * region and a local miss is read again there. `"strong"` for multi-region
   * strong consistency: every read and write is local, no transaction is used
   * (that mode has none), and expired items need the `sweep-expired` command
   * because that mode has no time to live.
   * @default "eventual"
   */
  readonly consistency?: "eventual" | "strong";
  /**
   * Milliseconds during which this adapter reads a user or session from the
   * region where it just wrote it, instead of the local replica, so its own
   * writes are visible to its next reads while replication catches up. Costs
   * one cross-region read per such look-up; 0 turns it off.
   * @default 10_000
   */
  readonly recentWriteWindow?: number;
}

export interface ResolvedGlobalOptions {
  readonly regions: readonly string[];
  readonly localRegion: string;
  readonly primaryRegion: string;
  readonly clients: ReadonlyMap<string, DynamoDBDocumentClient>;
  readonly consistency: "eventual" | "strong";
  readonly recentWriteWindow: number;
}

const globalOptionKeys = ["regions", "localRegion", "primaryRegion", "clients", "createClient", "consistency", "recentWriteWindow"] as const;

/** Validates global options and builds the client map, before any request. */
export function resolveGlobalOptions(value: unknown, localClient: DynamoDBDocumentClient, assertClient: (path: string, client: unknown) => void): ResolvedGlobalOptions | undefined {
  const options = optionalObject("global", value);
  if (options === undefined) return undefined;
  rejectUnknownKeys("global", options, globalOptionKeys);

  const regions = options.regions;
  if (!Array.isArray(regions) || regions.length < 2 || !regions.every((region) => typeof region === "string" && regionNamePattern.test(region)) || new Set(regions).size !== regions.length) {
    throw new InvalidOptionError("global.regions", regions, "a list of at least two distinct AWS region names, such as [\"us-east-1\", \"eu-west-1\"]");
  }

  const requireRegion = (path: string, region: unknown): string => {
    if (typeof region !== "string" || !regions.includes(region)) throw new InvalidOptionError(path, region, `one of global.regions (${regions.join(", ")})`);
    return region;
  };
  const localRegion = requireRegion("global.localRegion", options.localRegion);
  const primaryRegion = options.primaryRegion === undefined ? (regions[0] as string) : requireRegion("global.primaryRegion", options.primaryRegion);

  const consistency = options.consistency ?? "eventual";
  if (consistency !== "eventual" && consistency !== "strong") throw new InvalidOptionError("global.consistency", consistency, "\"eventual\" or \"strong\"");

  const givenClients = optionalObject("global.clients", options.clients) ?? {};
  const createClient = options.createClient;
  if (createClient !== undefined && typeof createClient !== "function") throw new InvalidOptionError("global.createClient", createClient, "a function (region) => DynamoDBDocumentClient");

  for (const region of Object.keys(givenClients)) requireRegion(`global.clients.${region}`, region);

  const clients = new Map<string, DynamoDBDocumentClient>();
  for (const region of regions as string[]) {
    let client = region === localRegion ? (givenClients[region] ?? localClient) : givenClients[region];
    let source = region === localRegion && givenClients[region] === undefined ? "client" : `global.clients.${region}`;
    if (client === undefined && typeof createClient === "function") {
      client = createClient(region);
      source = "global.createClient";
    }
    if (client === undefined) throw new InvalidOptionError(`global.clients.${region}`, undefined, `a DocumentClient for region ${region}, or a global.createClient function`);
    assertClient(source, client);
    clients.set(region, client as DynamoDBDocumentClient);
  }

  const recentWriteWindow = optionalInteger("global.recentWriteWindow", options.recentWriteWindow, 10_000, 0, 3_600_000);

  return { regions: regions as string[], localRegion, primaryRegion, clients, consistency, recentWriteWindow };
}
