import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestTable, type TestTable } from "../support/tables.js";

describe("test harness", () => {
  let table: TestTable;
  beforeAll(async () => {
    table = await createTestTable();
  });
  afterAll(async () => {
    await table.drop();
  });

  it("round-trips an item through DynamoDB Local", async () => {
    await table.document.put({ TableName: table.names.tableName, Item: { pk: "a", sk: "b", value: 1 } });
    expect(await table.scanAll()).toEqual([{ pk: "a", sk: "b", value: 1 }]);
  });
});
