import { DeleteCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sweepExpired } from "../../src/provisioning/sweep-expired.js";
import { createTestTable, keyLayouts, type TestTable } from "../support/tables.js";

// A fixed clock: 2023-11-14T22:13:20Z.
const nowSeconds = 1_700_000_000;
const now = () => nowSeconds * 1000;
const hour = 3600;

/**
 * Wraps `send` of the table's document client to count requests and to run
 * `beforeDelete` once, right before the first DeleteItem of the given key.
 */
function instrument(document: DynamoDBDocumentClient, partitionKeyValue?: string, beforeDelete?: () => Promise<void>) {
  const counts = { scans: 0, deletes: 0 };
  const send = document.send.bind(document) as (command: unknown) => Promise<unknown>;
  let intercepted = false;

  const wrapper = {
    send: async (command: unknown) => {
      if (command instanceof ScanCommand) counts.scans += 1;
      if (command instanceof DeleteCommand) {
        counts.deletes += 1;
        const key = Object.values(command.input.Key ?? {});
        if (!intercepted && beforeDelete !== undefined && key.includes(partitionKeyValue)) {
          intercepted = true;
          await beforeDelete();
        }
      }
      return send(command);
    },
  };

  return { client: wrapper as unknown as DynamoDBDocumentClient, counts };
}

for (const layout of keyLayouts) {
  describe(`sweepExpired with ${layout.name}`, () => {
    let table: TestTable;

    beforeEach(async () => {
      table = await createTestTable(layout.options);
    });

    afterEach(async () => {
      await table.drop();
    });

    function item(partition: string, sort: string, fields: Record<string, unknown> = {}) {
      return { [table.names.partitionKey]: partition, [table.names.sortKey]: sort, ...fields };
    }

    async function put(...items: Record<string, unknown>[]) {
      for (const entry of items) await table.document.put({ TableName: table.names.tableName, Item: entry });
    }

    async function remainingKeys(): Promise<string[]> {
      const items = await table.scanAll();
      return items.map((entry) => `${String(entry[table.names.partitionKey])}|${String(entry[table.names.sortKey])}`).sort();
    }

    async function seed() {
      await put(
        item("SESSION#expired-number", "SESSION#expired-number", { expires: nowSeconds - hour, userId: "u1" }),
        item("SESSION#expired-iso", "SESSION#expired-iso", { expires: new Date((nowSeconds - 60) * 1000).toISOString() }),
        item("SESSION#valid", "SESSION#valid", { expires: nowSeconds + hour }),
        item("SESSION#no-date", "SESSION#no-date", { expires: "soon" }),
        item("SESSION#no-expiry", "SESSION#no-expiry"),
        item("VT#alice@example.com", "VT#token-expired", { expires: nowSeconds - 1 }),
        item("VT#alice@example.com", "VT#token-valid", { expires: nowSeconds + 60 }),
        item("VR#bob@example.com", "VR#request-expired", { expires: nowSeconds - 10 }),
        item("USER#u1", "USER#u1", { expires: nowSeconds - hour, email: "alice@example.com" }),
        item("USER#u1", "ACCOUNT#github#1", { expires: nowSeconds - hour }),
      );
    }

    const keptKeys = [
      "SESSION#no-date|SESSION#no-date",
      "SESSION#no-expiry|SESSION#no-expiry",
      "SESSION#valid|SESSION#valid",
      "USER#u1|ACCOUNT#github#1",
      "USER#u1|USER#u1",
      "VT#alice@example.com|VT#token-valid",
    ];

    it("deletes exactly the expired session and token items", async () => {
      await seed();

      const result = await sweepExpired(table.document, { ...layout.options, tableName: table.names.tableName, now });

      expect(result).toEqual({ scannedItems: 10, expiredItems: 4, deletedItems: 4, changedItems: 0 });
      expect(await remainingKeys()).toEqual(keptKeys);
    });

    it("keeps a session extended after the scan", async () => {
      await seed();
      const extend = () =>
        table.document
          .send(
            new UpdateCommand({
              TableName: table.names.tableName,
              Key: item("SESSION#expired-number", "SESSION#expired-number"),
              UpdateExpression: "SET expires = :expires",
              ExpressionAttributeValues: { ":expires": nowSeconds + 30 * 24 * hour },
            }),
          )
          .then(() => undefined);
      const instrumented = instrument(table.document, "SESSION#expired-number", extend);

      const result = await sweepExpired(instrumented.client, { ...layout.options, tableName: table.names.tableName, now, concurrency: 1 });

      expect(result).toEqual({ scannedItems: 10, expiredItems: 4, deletedItems: 3, changedItems: 1 });
      expect(await remainingKeys()).toEqual(["SESSION#expired-number|SESSION#expired-number", ...keptKeys].sort());
      const extended = (await table.scanAll()).find((entry) => entry[table.names.partitionKey] === "SESSION#expired-number");
      expect(extended?.expires).toBe(nowSeconds + 30 * 24 * hour);
      expect(extended?.userId).toBe("u1");
    });

    it("dry run deletes nothing", async () => {
      await seed();
      const instrumented = instrument(table.document);

      const result = await sweepExpired(instrumented.client, { ...layout.options, tableName: table.names.tableName, now, dryRun: true });

      expect(result).toEqual({ scannedItems: 10, expiredItems: 4, deletedItems: 0, changedItems: 0 });
      expect(instrumented.counts.deletes).toBe(0);
      expect(await table.scanAll()).toHaveLength(10);
    });

    it("follows scan pages past 1 MB", async () => {
      // 30 items of about 40 KB exceed the 1 MB that one Scan page reads.
      const padding = "x".repeat(40_000);
      for (let index = 0; index < 30; index += 1) {
        const token = `page-${String(index).padStart(2, "0")}`;
        const expires = index % 2 === 0 ? nowSeconds - hour : nowSeconds + hour;
        await put(item(`SESSION#${token}`, `SESSION#${token}`, { expires, padding }));
      }
      const instrumented = instrument(table.document);

      const result = await sweepExpired(instrumented.client, { ...layout.options, tableName: table.names.tableName, now, concurrency: 4 });

      expect(instrumented.counts.scans).toBeGreaterThan(1);
      expect(result).toEqual({ scannedItems: 30, expiredItems: 15, deletedItems: 15, changedItems: 0 });
      const remaining = await table.scanAll();
      expect(remaining).toHaveLength(15);
      expect(remaining.every((entry) => entry.expires === nowSeconds + hour)).toBe(true);
    });
  });
}
