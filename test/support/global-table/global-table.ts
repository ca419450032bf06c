import { randomUUID } from "node:crypto";
import { DeleteTableCommand, DescribeTableCommand, DynamoDBClient, ScanCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { DynamoDBDocumentClient, type TranslateConfig } from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { createTable } from "../../../src/provisioning/create-table.js";
import { resolveTableOptions, type ResolvedTableOptions } from "../../../src/table-options.js";
import { localCredentials } from "../dynamodb-local.js";
import type { LagSetting } from "./lag.js";
import { LinkControls, type Link } from "./links.js";
import { SimulatedNetwork, type NetworkDelay, type RequestFilter } from "./network.js";
import { resolveGlobalTableOptions, type GlobalTableOptions } from "./options.js";
import { ReplicationLoop } from "./replication-loop.js";
import { Replicator, type ReplicationCounts } from "./replicator.js";
import { StreamReader } from "./stream-reader.js";

/** Options of {@link GlobalTable.documentClient}. */
export interface DocumentClientOptions {
  /**
   * Region the requests are sent from. A request to another region is remote:
   * it gets `remoteMs` of simulated delay and counts under this caller.
   * @default the target region
   */
  readonly caller?: string;
  /** Marshalling options of the DocumentClient, as in `DynamoDBDocumentClient.from`. */
  readonly translateConfig?: TranslateConfig;
}

/**
 * One table replicated across the region databases of a DynamoDB Local
 * process, the way a DynamoDB global table in multi-region eventual
 * consistency mode replicates: asynchronously, last writer wins per item.
 * Build it with {@link startGlobalTable}.
 */
export class GlobalTable {
  readonly regions: readonly string[];
  /** Table, key and index names, the same in every region. */
  readonly names: ResolvedTableOptions;
  readonly #endpoint: string;
  readonly #links: LinkControls;
  readonly #network = new SimulatedNetwork();
  readonly #rawClients = new Map<string, DynamoDBClient>();
  readonly #streamsClients = new Map<string, DynamoDBStreamsClient>();
  readonly #networkClients = new Map<string, DynamoDBClient>();
  #replicator: Replicator | undefined;
  #loop: ReplicationLoop | undefined;
  #stopped: Promise<void> | undefined;

  /** @internal Use {@link startGlobalTable}, which also creates the tables and starts replication. */
  constructor(endpoint: string, regions: readonly string[], names: ResolvedTableOptions, lag: LagSetting) {
    this.#endpoint = endpoint;
    this.regions = regions;
    this.names = names;
    this.#links = new LinkControls(regions, lag);

    for (const region of regions) {
      const connection = { endpoint, region, credentials: localCredentials };
      this.#rawClients.set(region, new DynamoDBClient(connection));
      this.#streamsClients.set(region, new DynamoDBStreamsClient(connection));
    }
  }

  get tableName(): string {
    return this.names.tableName;
  }

  /**
   * Returns a DocumentClient bound to `region`'s database whose requests go
   * through the simulated network (delay, unreachable regions, request counts).
   * Clients are cached per caller, target and `translateConfig`.
   */
  documentClient(region: string, options: DocumentClientOptions = {}): DynamoDBDocumentClient {
    const caller = options.caller ?? region;
    this.#assertRegion(region);
    this.#assertRegion(caller);

    const cacheKey = JSON.stringify([caller, region, options.translateConfig ?? null]);
    let client = this.#networkClients.get(cacheKey);

    // A DocumentClient stores its translateConfig on the shared client config, so each config gets its own client.
    if (client === undefined) {
      client = new DynamoDBClient({ endpoint: this.#endpoint, region, credentials: localCredentials });
      this.#network.attach(client, caller, region);
      this.#networkClients.set(cacheKey, client);
    }

    return DynamoDBDocumentClient.from(client, options.translateConfig);
  }

  /**
   * Returns the low-level client of `region`'s database that the replicator
   * uses. It bypasses the simulated network, so inspection is never delayed,
   * rejected or counted. Do not destroy it, because {@link stop} does.
   */
  lowLevelClient(region: string): DynamoDBClient {
    this.#assertRegion(region);
    return this.#rawClients.get(region) as DynamoDBClient;
  }

  /** Reads every item of the table in `region` with a consistent scan, unmarshalled. */
  async scanRegion(region: string): Promise<Record<string, unknown>[]> {
    const client = this.lowLevelClient(region);
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, AttributeValue> | undefined;

    do {
      const page = await client.send(new ScanCommand({ TableName: this.tableName, ConsistentRead: true, ExclusiveStartKey: startKey }));
      for (const item of page.Items ?? []) items.push(unmarshall(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);

    return items;
  }

  /**
   * Sets the replication lag of one link, or of every link when `link` is
   * omitted. Changes already queued on the link get a lag drawn from the new
   * setting, counted from when they were read.
   */
  setLag(setting: LagSetting, link?: Link): void {
    this.#started().replicator.setLag(setting, link);
  }

  /** Holds back delivery over one link, or over every link. Changes queue up in order. */
  pause(link?: Link): void {
    this.#links.pause(link);
  }

  /** Restarts delivery over one link, or over every link. Queued changes whose lag has passed go out in the next round. */
  resume(link?: Link): void {
    this.#links.resume(link);
  }

  /**
   * Waits until every change written before the call has been read from its
   * stream and applied in every region whose link is not paused, including
   * changes still waiting for their lag.
   * @param options.timeoutMs time allowed on top of the longest queued lag, in milliseconds; default 10000
   */
  async flush(options: { readonly timeoutMs?: number } = {}): Promise<void> {
    await this.#started().loop.flush(options.timeoutMs ?? 10_000);
  }

  /** Returns the changes applied, dropped by last writer wins, and pending on one link or summed over all. */
  replicationCounts(link?: Link): ReplicationCounts {
    return this.#started().replicator.counts(link);
  }

  /**
   * Makes every request to `region` from a {@link documentClient} fail at once
   * with a `TimeoutError`, without sending it, or restores it. Replication is
   * not affected, so pause the region's links as well to cut it off completely.
   */
  setUnreachable(region: string, unreachable: boolean): void {
    this.#assertRegion(region);
    this.#network.setUnreachable(region, unreachable);
  }

  /** Adds a simulated delay to each request from a {@link documentClient}, by whether it stays in the caller's region. */
  setNetworkDelay(delay: NetworkDelay): void {
    this.#network.setDelay(delay);
  }

  /** Counts the requests that {@link documentClient} clients sent, optionally by caller, target and command name. */
  requestCount(filter?: RequestFilter): number {
    return this.#network.requestCount(filter);
  }

  resetRequestCounts(): void {
    this.#network.resetRequestCounts();
  }

  /** Stops replication, deletes the table in every region and destroys every client. Calling it again is harmless. */
  stop(): Promise<void> {
    this.#stopped ??= this.#shutDown();
    return this.#stopped;
  }

  /** @internal Creates the table in every region and starts the replication loop. */
  async start(pollIntervalMs: number): Promise<void> {
    await Promise.all(this.regions.map((region) => createTable(this.lowLevelClient(region), this.names)));

    const readers = new Map<string, StreamReader>();
    for (const region of this.regions) readers.set(region, await this.#openStreamReader(region));

    const replicator = new Replicator({
      regions: this.regions,
      tableName: this.tableName,
      links: this.#links,
      readers,
      clientOf: (region) => this.lowLevelClient(region),
    });

    this.#replicator = replicator;
    this.#loop = new ReplicationLoop(replicator, pollIntervalMs);
    this.#loop.start();
  }

  async #openStreamReader(region: string): Promise<StreamReader> {
    const output = await this.lowLevelClient(region).send(new DescribeTableCommand({ TableName: this.tableName }));
    const streamArn = output.Table?.LatestStreamArn;
    if (streamArn === undefined) throw new Error(`Table ${this.tableName} in ${region} has no stream. The emulator needs one with NEW_AND_OLD_IMAGES.`);

    return new StreamReader(this.#streamsClients.get(region) as DynamoDBStreamsClient, streamArn);
  }

  async #shutDown(): Promise<void> {
    await this.#loop?.stop();

    await Promise.all(
      this.regions.map(async (region) => {
        try {
          await this.lowLevelClient(region).send(new DeleteTableCommand({ TableName: this.tableName }));
        } catch (error) {
          if ((error as { name?: string }).name !== "ResourceNotFoundException") throw error;
        }
      }),
    );

    for (const client of [...this.#rawClients.values(), ...this.#streamsClients.values(), ...this.#networkClients.values()]) client.destroy();
  }

  #started(): { replicator: Replicator; loop: ReplicationLoop } {
    if (this.#replicator === undefined || this.#loop === undefined) throw new Error("The global table has not started. Build it with startGlobalTable().");
    return { replicator: this.#replicator, loop: this.#loop };
  }

  #assertRegion(region: string): void {
    if (!this.regions.includes(region)) throw new RangeError(`Region ${region} is not part of this global table, whose regions are ${this.regions.join(", ")}.`);
  }
}

/**
 * Creates the same table (from the adapter's `createTable`, with a
 * NEW_AND_OLD_IMAGES stream) in each region's database and starts replicating
 * between them. Call {@link GlobalTable.stop} when done.
 */
export async function startGlobalTable(options: GlobalTableOptions): Promise<GlobalTable> {
  const resolved = resolveGlobalTableOptions(options);
  const names = resolveTableOptions({ ...resolved.table, tableName: resolved.table.tableName ?? `global-${randomUUID()}` });
  const table = new GlobalTable(resolved.endpoint, resolved.regions, names, resolved.lag);

  try {
    await table.start(resolved.pollIntervalMs);
  } catch (error) {
    await table.stop().catch(() => undefined);
    throw error;
  }

  return table;
}
