import type { Adapter } from "@auth/core/adapters";
import { afterAll, beforeAll } from "vitest";
import { DynamoDBAdapter, type DynamoDBAdapterOptions } from "../../src/index.js";
import type { TableOptions } from "../../src/table-options.js";
import { createTestTable, type TestTable } from "./tables.js";

/** The adapter with every optional method present, as this package builds it. */
export type FullAdapter = Required<Adapter>;

/**
 * Creates a table for the enclosing `describe` and returns accessors for it
 * and for adapters over it (cache off unless the test sets it).
 */
export function useAdapterTable(layout: TableOptions) {
  let table: TestTable | undefined;

  beforeAll(async () => {
    table = await createTestTable(layout);
  });

  afterAll(async () => {
    await table?.drop();
  });

  const current = (): TestTable => {
    if (table === undefined) throw new Error("The test table is not ready; use it inside a test or hook.");
    return table;
  };

  return {
    table: current,
    adapter(options: DynamoDBAdapterOptions = {}): FullAdapter {
      const { names, document } = current();
      return DynamoDBAdapter(document, { ...layout, tableName: names.tableName, cache: false, ...options }) as FullAdapter;
    },
    /** Items whose partition or sort key starts with `prefix`. */
    async itemsWithKeyPrefix(prefix: string) {
      const { names } = current();
      const items = await current().scanAll();
      return items.filter((item) => String(item[names.partitionKey]).startsWith(prefix) || String(item[names.sortKey]).startsWith(prefix));
    },
  };
}
