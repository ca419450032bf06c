import type { DynamoDBClient, TableDescription } from "@aws-sdk/client-dynamodb";
import { TableSchemaError } from "../errors/index.js";
import { resolveTableOptions, tableOptionKeys, type ResolvedTableOptions, type TableOptions } from "../table-options.js";
import { describeTableIfExists, resolveClientRegion } from "./describe.js";
import { rejectUnknownOptions } from "./option-validation.js";
import { checkTableSchema, describeSchemaProblems, formatCommandLine } from "./schema.js";

function throwIfIndexNotReady(table: TableDescription, names: ResolvedTableOptions): void {
  const index = table.GlobalSecondaryIndexes?.find((candidate) => candidate.IndexName === names.indexName);
  if (index === undefined || index.IndexStatus === undefined || index.IndexStatus === "ACTIVE") return;

  const backfilling = index.Backfilling === true ? ", backfilling" : "";
  throw new TableSchemaError(
    names.tableName,
    `index ${JSON.stringify(names.indexName)} is ${index.IndexStatus}${backfilling}, and DynamoDB rejects queries on an index until it is ACTIVE. ` +
      "Wait until DynamoDB finishes building it.",
  );
}

/**
 * Sends DescribeTable and checks that the table can serve the adapter: it
 * exists, its keys and global secondary index have the configured names and
 * string type, and the index projects ALL attributes and is ACTIVE. Returns
 * the table description. Throws `TableSchemaError` naming the table, each
 * difference and its fix. Call it at deploy time or from a health check; the
 * adapter does not call it, and maps DynamoDB's own errors instead.
 */
export async function verifyTable(client: DynamoDBClient, options: TableOptions = {}): Promise<TableDescription> {
  rejectUnknownOptions(options, tableOptionKeys, "verifyTable");
  const names = resolveTableOptions(options);

  const table = await describeTableIfExists(client, names.tableName);
  if (table === undefined) {
    const region = await resolveClientRegion(client);
    throw new TableSchemaError(
      names.tableName,
      `not found${region === undefined ? "" : ` in region ${region}`}. ` +
        `Run \`${formatCommandLine("create-table", names, region)}\` to create it, or set the option tableName to an existing table.`,
    );
  }

  const problems = checkTableSchema(table, names);
  if (problems.length > 0) {
    throw new TableSchemaError(names.tableName, `has another schema than the adapter options describe: ${describeSchemaProblems(problems)}`);
  }

  throwIfIndexNotReady(table, names);
  return table;
}
