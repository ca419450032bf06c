import { randomUUID } from "node:crypto";
import { DeleteTableCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand, ScanCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { createTable } from "../../src/provisioning/create-table.js";
import { localCredentials } from "../support/dynamodb-local.js";
import { createLagSampler, seededRandom } from "../support/global-table/lag.js";
import { LinkControls } from "../support/global-table/links.js";
import { Replicator } from "../support/global-table/replicator.js";
import { StreamReader } from "../support/global-table/stream-reader.js";
import { SimulatedNetworkError, startGlobalTable, type GlobalTable, type GlobalTableOptions } from "../support/global-table/index.js";
import { keyLayouts } from "../support/tables.js";

const east = "us-east-1";
const west = "eu-west-1";
const south = "ap-southeast-2";

const started: GlobalTable[] = [];

async function start(options: Partial<GlobalTableOptions> = {}): Promise<GlobalTable> {
  const table = await startGlobalTable({ endpoint: inject("dynamoEndpoint"), regions: [east, west], ...options });
  started.push(table);
  return table;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((table) => table.stop()));
});

function byKey(items: Record<string, unknown>[]): Record<string, unknown>[] {
  return [...items].sort((left, right) => JSON.stringify(left).localeCompare(JSON.stringify(right)));
}

describe.each(keyLayouts)("replication with $name", ({ options }) => {
  it("copies a put and a delete to three regions", async () => {
    const table = await start({ regions: [east, west, south], table: options });
    const { partitionKey, sortKey } = table.names;
    const item = { [partitionKey]: "USER#1", [sortKey]: "USER#1", name: "Ada", tags: new Set(["a", "b"]) };

    await table.documentClient(east).send(new PutCommand({ TableName: table.tableName, Item: item }));
    await table.flush();

    for (const region of [east, west, south]) expect(await table.scanRegion(region)).toEqual([item]);

    await table.documentClient(west).send(new DeleteCommand({ TableName: table.tableName, Key: { [partitionKey]: "USER#1", [sortKey]: "USER#1" } }));
    await table.flush();

    for (const region of [east, west, south]) expect(await table.scanRegion(region)).toEqual([]);
    expect(table.replicationCounts({ from: east, to: south })).toEqual({ applied: 1, dropped: 0, pending: 0 });
    expect(table.replicationCounts({ from: west, to: south })).toEqual({ applied: 1, dropped: 0, pending: 0 });
  });
});

describe("pause and resume", () => {
  it("holds changes on a paused link until resume", async () => {
    const table = await start();
    const writer = table.documentClient(east);

    table.pause({ from: east, to: west });
    await writer.send(new PutCommand({ TableName: table.tableName, Item: { pk: "a", sk: "a", step: 1 } }));
    await writer.send(new PutCommand({ TableName: table.tableName, Item: { pk: "a", sk: "a", step: 2 } }));
    await writer.send(new PutCommand({ TableName: table.tableName, Item: { pk: "b", sk: "b", step: 1 } }));
    await table.flush();

    expect(await table.scanRegion(west)).toEqual([]);
    expect(table.replicationCounts({ from: east, to: west })).toEqual({ applied: 0, dropped: 0, pending: 3 });

    table.resume({ from: east, to: west });
    await table.flush();

    expect(byKey(await table.scanRegion(west))).toEqual([
      { pk: "a", sk: "a", step: 2 },
      { pk: "b", sk: "b", step: 1 },
    ]);
    expect(table.replicationCounts({ from: east, to: west })).toEqual({ applied: 3, dropped: 0, pending: 0 });
  });

  it("keeps the other direction running", async () => {
    const table = await start();

    table.pause({ from: east, to: west });
    await table.documentClient(west).send(new PutCommand({ TableName: table.tableName, Item: { pk: "w", sk: "w" } }));
    await table.flush();

    expect(await table.scanRegion(east)).toEqual([{ pk: "w", sk: "w" }]);
  });
});

describe("lag", () => {
  it("delays a change under fixed lag until flush", async () => {
    // A lag far longer than the test, so the absence check cannot race the delivery.
    const table = await start({ lag: { mode: "fixed", ms: 600_000 } });

    await table.documentClient(east).send(new PutCommand({ TableName: table.tableName, Item: { pk: "late", sk: "late" } }));
    await vi.waitFor(() => expect(table.replicationCounts({ from: east, to: west }).pending).toBe(1), { timeout: 5_000 });

    expect(await table.scanRegion(west)).toEqual([]);

    // A short fixed lag re-times the queued change, which flush then waits out.
    table.setLag({ mode: "fixed", ms: 50 });
    await table.flush();

    expect(await table.scanRegion(west)).toEqual([{ pk: "late", sk: "late" }]);
  });

  it("releases queued changes when the lag drops to zero", async () => {
    const table = await start({ lag: { mode: "fixed", ms: 600_000 } });

    await table.documentClient(east).send(new PutCommand({ TableName: table.tableName, Item: { pk: "q", sk: "q" } }));
    await vi.waitFor(() => expect(table.replicationCounts({ from: east, to: west }).pending).toBe(1), { timeout: 5_000 });
    table.setLag({ mode: "zero" }, { from: east, to: west });
    await table.flush();

    expect(await table.scanRegion(west)).toEqual([{ pk: "q", sk: "q" }]);
  });

  it("converges under seeded random lag", async () => {
    const table = await start({ regions: [east, west, south], lag: { mode: "random", minMs: 0, maxMs: 80, seed: 7 } });
    const writes = [];

    for (let index = 0; index < 20; index += 1) {
      const region = [east, west, south][index % 3] as string;
      writes.push(table.documentClient(region).send(new PutCommand({ TableName: table.tableName, Item: { pk: `k${index % 5}`, sk: "s", index } })));
    }
    await Promise.all(writes);
    await table.flush();

    const eastItems = byKey(await table.scanRegion(east));
    expect(eastItems).toHaveLength(5);
    expect(byKey(await table.scanRegion(west))).toEqual(eastItems);
    expect(byKey(await table.scanRegion(south))).toEqual(eastItems);
  });

  it("repeats a seeded lag sequence within its bounds", () => {
    const first = createLagSampler({ mode: "random", minMs: 10, maxMs: 20, seed: 42 });
    const second = createLagSampler({ mode: "random", minMs: 10, maxMs: 20, seed: 42 });
    const drawn = Array.from({ length: 50 }, () => first());

    expect(Array.from({ length: 50 }, () => second())).toEqual(drawn);
    for (const lag of drawn) {
      expect(lag).toBeGreaterThanOrEqual(10);
      expect(lag).toBeLessThan(20);
    }
    expect(new Set(drawn).size).toBeGreaterThan(40);
    expect(seededRandom(1)()).not.toBe(seededRandom(2)());
  });

  it("rejects a random lag with maxMs below minMs", async () => {
    const table = await start();

    expect(() => table.setLag({ mode: "random", minMs: 50, maxMs: 10 })).toThrow(new TypeError("Expected `maxMs` (10) to be >= `minMs` (50)."));
  });
});

describe("conflicts", () => {
  it("settles concurrent writes on the later one", async () => {
    const table = await start({ regions: [east, west, south] });

    table.pause();
    await table.documentClient(east).send(new PutCommand({ TableName: table.tableName, Item: { pk: "c", sk: "c", writer: "east" } }));
    await table.flush();
    await table.documentClient(west).send(new PutCommand({ TableName: table.tableName, Item: { pk: "c", sk: "c", writer: "west" } }));
    await table.flush();
    table.resume();
    await table.flush();

    for (const region of [east, west, south]) expect(await table.scanRegion(region)).toEqual([{ pk: "c", sk: "c", writer: "west" }]);
    expect(table.replicationCounts({ from: east, to: west })).toEqual({ applied: 0, dropped: 1, pending: 0 });
    expect(table.replicationCounts({ from: west, to: east })).toEqual({ applied: 1, dropped: 0, pending: 0 });
  });

  it("lets a later delete win over an earlier put", async () => {
    const table = await start();

    table.pause();
    await table.documentClient(west).send(new PutCommand({ TableName: table.tableName, Item: { pk: "d", sk: "d" } }));
    await table.flush();
    await table.documentClient(east).send(new PutCommand({ TableName: table.tableName, Item: { pk: "d", sk: "d", first: true } }));
    await table.documentClient(east).send(new DeleteCommand({ TableName: table.tableName, Key: { pk: "d", sk: "d" } }));
    await table.flush();
    table.resume();
    await table.flush();

    expect(await table.scanRegion(east)).toEqual([]);
    expect(await table.scanRegion(west)).toEqual([]);
  });

  it("converges after a loop of racing writes", async () => {
    const table = await start({ regions: [east, west, south], lag: { mode: "random", minMs: 0, maxMs: 30, seed: 3 } });
    const regions = [east, west, south];

    for (let round = 0; round < 15; round += 1) {
      await Promise.all(
        regions.map((region, index) => {
          const client = table.documentClient(region);
          const key = { pk: `race${round % 2}`, sk: "s" };

          if ((round + index) % 4 === 0) return client.send(new DeleteCommand({ TableName: table.tableName, Key: key }));
          return client.send(new PutCommand({ TableName: table.tableName, Item: { ...key, region, round } }));
        }),
      );
    }
    await table.flush();

    const eastItems = byKey(await table.scanRegion(east));
    expect(byKey(await table.scanRegion(west))).toEqual(eastItems);
    expect(byKey(await table.scanRegion(south))).toEqual(eastItems);

    const totals = table.replicationCounts();
    expect(totals.pending).toBe(0);
    expect(totals.applied + totals.dropped).toBeGreaterThan(0);
  });
});

describe("echo suppression", () => {
  it("does not send a replicated change back", async () => {
    const table = await start();

    await table.documentClient(east).send(new PutCommand({ TableName: table.tableName, Item: { pk: "e", sk: "e", v: 1 } }));
    await table.flush();
    await table.documentClient(east).send(new PutCommand({ TableName: table.tableName, Item: { pk: "e", sk: "e", v: 2 } }));
    await table.flush();

    expect(table.replicationCounts({ from: east, to: west })).toEqual({ applied: 2, dropped: 0, pending: 0 });
    expect(table.replicationCounts({ from: west, to: east })).toEqual({ applied: 0, dropped: 0, pending: 0 });
    expect(await table.scanRegion(west)).toEqual([{ pk: "e", sk: "e", v: 2 }]);
  });
});

describe("simulated network", () => {
  it("fails requests to an unreachable region without sending them", async () => {
    const table = await start();
    const remote = table.documentClient(west, { caller: east });
    const key = { pk: "n", sk: "n" };

    await table.documentClient(east).send(new PutCommand({ TableName: table.tableName, Item: { ...key, v: 1 } }));
    await table.flush();
    table.resetRequestCounts();

    table.setUnreachable(west, true);
    const error = await remote.send(new GetCommand({ TableName: table.tableName, Key: key })).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SimulatedNetworkError);
    expect(error).toMatchObject({ name: "TimeoutError", code: "ETIMEDOUT", $metadata: { attempts: 1, totalRetryDelay: 0 } });
    expect((error as Error).message).toBe(
      'Simulated network failure: region eu-west-1 is unreachable from us-east-1, so GetItemCommand was not sent. Call setUnreachable("eu-west-1", false) to restore it.',
    );
    expect(table.requestCount({ target: west })).toBe(0);
    await expect(table.documentClient(east).send(new GetCommand({ TableName: table.tableName, Key: key }))).resolves.toMatchObject({ Item: { ...key, v: 1 } });

    table.setUnreachable(west, false);
    await expect(remote.send(new GetCommand({ TableName: table.tableName, Key: key }))).resolves.toMatchObject({ Item: { ...key, v: 1 } });
    expect(table.requestCount({ caller: east, target: west })).toBe(1);
  });

  it("counts requests by caller, target and command", async () => {
    const table = await start();
    const local = table.documentClient(east);
    const remote = table.documentClient(west, { caller: east });
    const key = { pk: "r", sk: "r" };

    await local.send(new PutCommand({ TableName: table.tableName, Item: key }));
    await local.send(new GetCommand({ TableName: table.tableName, Key: key }));
    await local.send(new GetCommand({ TableName: table.tableName, Key: key }));
    await remote.send(new QueryCommand({ TableName: table.tableName, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": "r" } }));
    await table.documentClient(west).send(new GetCommand({ TableName: table.tableName, Key: key }));
    await table.flush();

    expect(table.requestCount({ caller: east, target: east, command: "GetItemCommand" })).toBe(2);
    expect(table.requestCount({ caller: east, target: east, command: "PutItemCommand" })).toBe(1);
    expect(table.requestCount({ caller: east, target: west, command: "QueryCommand" })).toBe(1);
    expect(table.requestCount({ command: "GetItemCommand" })).toBe(3);
    expect(table.requestCount({ caller: east })).toBe(4);
    expect(table.requestCount({ target: west })).toBe(2);
    // The replicator's own writes bypass the simulated network.
    expect(table.requestCount()).toBe(5);

    table.resetRequestCounts();
    expect(table.requestCount()).toBe(0);
  });

  it("still answers with a network delay set", async () => {
    const table = await start();

    table.setNetworkDelay({ localMs: 1, remoteMs: 5 });
    await table.documentClient(east).send(new PutCommand({ TableName: table.tableName, Item: { pk: "slow", sk: "slow" } }));
    await table.flush();

    await expect(table.documentClient(east, { caller: west }).send(new GetCommand({ TableName: table.tableName, Key: { pk: "slow", sk: "slow" } }))).resolves.toMatchObject({
      Item: { pk: "slow", sk: "slow" },
    });
    expect(() => table.setNetworkDelay({ localMs: -1, remoteMs: 0 })).toThrow(new TypeError("Expected `localMs` to be a finite number of milliseconds >= 0, got -1."));
  });
});

describe("options", () => {
  it("rejects an endpoint that is not on loopback", async () => {
    await expect(startGlobalTable({ endpoint: "https://dynamodb.us-east-1.amazonaws.com", regions: [east, west] })).rejects.toThrow(
      new TypeError('Expected `endpoint` to be a DynamoDB Local URL on a loopback address such as http://127.0.0.1:8000, got "https://dynamodb.us-east-1.amazonaws.com".'),
    );
  });

  it("rejects a single region and unknown keys", async () => {
    await expect(startGlobalTable({ endpoint: inject("dynamoEndpoint"), regions: [east] })).rejects.toThrow(
      new TypeError('Expected `regions` to be at least two distinct region names such as "us-east-1", got ["us-east-1"].'),
    );
    await expect(startGlobalTable({ endpoint: inject("dynamoEndpoint"), regions: [east, west], lagMs: 5 } as GlobalTableOptions)).rejects.toThrow(
      new TypeError("Unknown option `lagMs`. Expected one of endpoint, regions, table, lag, pollIntervalMs."),
    );
  });

  it("rejects a region outside the table", async () => {
    const table = await start();

    expect(() => table.documentClient(south)).toThrow(new RangeError("Region ap-southeast-2 is not part of this global table, whose regions are us-east-1, eu-west-1."));
    expect(() => table.pause({ from: east, to: east })).toThrow(new RangeError("A link needs two different regions, got us-east-1 twice."));
  });
});

// These tests step the replicator by hand, so the order of stream reads and
// replica writes is fixed and each race happens every time.
describe("replicator races", () => {
  const regions = [east, west];
  let cleanups: Array<() => Promise<void>> = [];

  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  });

  async function manualReplicator() {
    const tableName = `manual-${randomUUID()}`;
    const dynamo = new Map<string, DynamoDBClient>();
    const readers = new Map<string, StreamReader>();

    for (const region of regions) {
      const connection = { endpoint: inject("dynamoEndpoint"), region, credentials: localCredentials };
      const client = new DynamoDBClient(connection);
      const streams = new DynamoDBStreamsClient(connection);

      cleanups.push(async () => {
        await client.send(new DeleteTableCommand({ TableName: tableName }));
        client.destroy();
        streams.destroy();
      });

      await createTable(client, { tableName });
      const description = await client.send(new DescribeTableCommand({ TableName: tableName }));

      dynamo.set(region, client);
      readers.set(region, new StreamReader(streams, description.Table?.LatestStreamArn as string));
    }

    const clientOf = (region: string) => dynamo.get(region) as DynamoDBClient;
    const replicator = new Replicator({ regions, tableName, links: new LinkControls(regions, { mode: "zero" }), readers, clientOf });
    const scan = async (region: string) => (await clientOf(region).send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? [];

    return { replicator, tableName, clientOf, scan };
  }

  async function settle(replicator: Replicator): Promise<void> {
    for (let round = 0; round < 20; round += 1) {
      const result = await replicator.runRound();
      if (result.records === 0 && result.deliveries === 0 && replicator.runnablePending() === 0) return;
    }

    throw new Error("The replicator did not settle within 20 rounds.");
  }

  it("retries a replica write after an unread local change and drops it", async () => {
    const { replicator, tableName, clientOf, scan } = await manualReplicator();
    const put = (region: string, value: string) => clientOf(region).send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: "k" }, sk: { S: "k" }, v: { S: value } } }));

    await put(east, "east-1");
    await settle(replicator);
    await put(east, "east-2");
    await replicator.poll(east);
    await put(west, "west-local");

    expect(await replicator.deliver()).toBe(1);
    expect(await scan(west)).toEqual([{ pk: { S: "k" }, sk: { S: "k" }, v: { S: "west-local" } }]);

    await settle(replicator);

    expect(await scan(east)).toEqual([{ pk: { S: "k" }, sk: { S: "k" }, v: { S: "west-local" } }]);
    expect(await scan(west)).toEqual([{ pk: { S: "k" }, sk: { S: "k" }, v: { S: "west-local" } }]);
    expect(replicator.counts({ from: east, to: west })).toEqual({ applied: 1, dropped: 1, pending: 0 });
    expect(replicator.counts({ from: west, to: east })).toEqual({ applied: 1, dropped: 0, pending: 0 });
  });

  it("restores a local change that a replica write overwrote", async () => {
    const { replicator, tableName, clientOf, scan } = await manualReplicator();

    await clientOf(east).send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: "k" }, sk: { S: "k" }, v: { N: "0" } } }));
    await settle(replicator);
    await clientOf(east).send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: "k" }, sk: { S: "k" }, v: { N: "1" } } }));
    await replicator.poll(east);

    // Adding an attribute leaves every attribute the condition checks unchanged, so the replica write lands on top of it.
    await clientOf(west).send(
      new UpdateItemCommand({ TableName: tableName, Key: { pk: { S: "k" }, sk: { S: "k" } }, UpdateExpression: "SET extra = :extra", ExpressionAttributeValues: { ":extra": { S: "west" } } }),
    );
    await replicator.deliver();
    expect(await scan(west)).toEqual([{ pk: { S: "k" }, sk: { S: "k" }, v: { N: "1" } }]);

    await settle(replicator);

    const expected = [{ pk: { S: "k" }, sk: { S: "k" }, v: { N: "0" }, extra: { S: "west" } }];
    expect(await scan(west)).toEqual(expected);
    expect(await scan(east)).toEqual(expected);
  });
});
