import type { KeySchemaElement, TableDescription } from "@aws-sdk/client-dynamodb";
import { defaultTableOptions, type ResolvedTableOptions, type TableOptions } from "../table-options.js";

/** Kind of difference between an existing table and the table options. */
export type SchemaProblemKind =
  | "partition-key"
  | "sort-key"
  | "key-type"
  | "index-missing"
  | "index-partition-key"
  | "index-sort-key"
  | "index-projection";

/** One difference between an existing table and the table options, with the step that removes it. */
export interface SchemaProblem {
  readonly kind: SchemaProblemKind;
  /** The difference, such as `partition key is "id", expected "pk"`. */
  readonly message: string;
  /** The change, in the table or in the options, that removes the difference. */
  readonly fix: string;
}

type KeyOption = "partitionKey" | "sortKey" | "indexPartitionKey" | "indexSortKey";

const flagOfOption: Readonly<Record<keyof TableOptions, string>> = {
  tableName: "--table",
  partitionKey: "--partition-key",
  sortKey: "--sort-key",
  indexName: "--index-name",
  indexPartitionKey: "--index-partition-key",
  indexSortKey: "--index-sort-key",
};

function keyNameOf(schema: KeySchemaElement[] | undefined, keyType: "HASH" | "RANGE"): string | undefined {
  return schema?.find((key) => key.KeyType === keyType)?.AttributeName;
}

function describeName(name: string | undefined): string {
  return name === undefined ? "missing" : JSON.stringify(name);
}

function keyNameProblem(kind: SchemaProblemKind, label: string, option: KeyOption, actual: string | undefined, expected: string): SchemaProblem {
  const useTableName =
    actual === undefined ? "" : `set the option ${option} to ${JSON.stringify(actual)} (${flagOfOption[option]} ${actual}) if the table is right, or `;

  return {
    kind,
    message: `${label} is ${describeName(actual)}, expected ${JSON.stringify(expected)}`,
    fix: `For the ${label}, ${useTableName}use a table created with these options.`,
  };
}

function findKeyTypeProblems(table: TableDescription, names: ResolvedTableOptions): SchemaProblem[] {
  const problems: SchemaProblem[] = [];

  for (const name of [names.partitionKey, names.sortKey, names.indexPartitionKey, names.indexSortKey]) {
    const definition = table.AttributeDefinitions?.find((attribute) => attribute.AttributeName === name);
    if (definition === undefined || definition.AttributeType === "S") continue;

    problems.push({
      kind: "key-type",
      message: `key attribute ${JSON.stringify(name)} has type ${definition.AttributeType}, expected S (string)`,
      fix: "DynamoDB cannot change the type of a key attribute, so create a new table.",
    });
  }

  return problems;
}

function findIndexProblems(table: TableDescription, names: ResolvedTableOptions): SchemaProblem[] {
  const index = table.GlobalSecondaryIndexes?.find((candidate) => candidate.IndexName === names.indexName);
  const indexLabel = `index ${JSON.stringify(names.indexName)}`;

  if (index === undefined) {
    const existing = (table.GlobalSecondaryIndexes ?? []).map((candidate) => JSON.stringify(candidate.IndexName)).join(", ");
    return [
      {
        kind: "index-missing",
        message: `global secondary ${indexLabel} is missing${existing === "" ? "" : ` (the table has ${existing})`}`,
        fix:
          `Add the index with UpdateTable (partition key ${names.indexPartitionKey} and sort key ${names.indexSortKey}, both of type S, projection ALL), ` +
          "or set the option indexName (--index-name) to the index the table has.",
      },
    ];
  }

  const problems: SchemaProblem[] = [];
  const indexPartitionKey = keyNameOf(index.KeySchema, "HASH");
  const indexSortKey = keyNameOf(index.KeySchema, "RANGE");
  const projection = index.Projection?.ProjectionType;

  if (indexPartitionKey !== names.indexPartitionKey) {
    problems.push(keyNameProblem("index-partition-key", `${indexLabel} partition key`, "indexPartitionKey", indexPartitionKey, names.indexPartitionKey));
  }
  if (indexSortKey !== names.indexSortKey) {
    problems.push(keyNameProblem("index-sort-key", `${indexLabel} sort key`, "indexSortKey", indexSortKey, names.indexSortKey));
  }
  if (projection !== "ALL") {
    problems.push({
      kind: "index-projection",
      message: `${indexLabel} projects ${projection ?? "nothing"}, expected ALL`,
      fix: "DynamoDB cannot change the projection of an index, so delete the index and create it again with projection ALL.",
    });
  }

  return problems;
}

/**
 * Lists how an existing table differs from what the adapter needs: key names,
 * key attribute types, and the global secondary index with its keys and
 * projection. Returns an empty list when the table fits. Billing mode,
 * streams and time to live are not compared, because the adapter works with
 * any of them.
 */
export function checkTableSchema(table: TableDescription, names: ResolvedTableOptions): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const partitionKey = keyNameOf(table.KeySchema, "HASH");
  const sortKey = keyNameOf(table.KeySchema, "RANGE");

  if (partitionKey !== names.partitionKey) {
    problems.push(keyNameProblem("partition-key", "partition key", "partitionKey", partitionKey, names.partitionKey));
  }
  if (sortKey !== names.sortKey) {
    problems.push(keyNameProblem("sort-key", "sort key", "sortKey", sortKey, names.sortKey));
  }

  problems.push(...findKeyTypeProblems(table, names), ...findIndexProblems(table, names));
  return problems;
}

/** Lists the messages of {@link checkTableSchema}, such as `partition key is "id", expected "pk"`, or nothing when the table fits. */
export function findSchemaProblems(table: TableDescription, names: ResolvedTableOptions): string[] {
  return checkTableSchema(table, names).map((problem) => problem.message);
}

/** Joins problems into the text of a `TableSchemaError`: every difference first, then every distinct fix. */
export function describeSchemaProblems(problems: readonly SchemaProblem[]): string {
  const differences = problems.map((problem) => problem.message).join(", ");
  const fixes = [...new Set(problems.map((problem) => problem.fix))].join(" ");

  return `${differences}. ${fixes}`;
}

/**
 * Builds a command line for a table with these names, naming only the
 * options that differ from the defaults, such as
 * `npx authjs-dynamodb-global create-table --table next-auth --sort-key rangeKey`.
 */
export function formatCommandLine(command: "create-table" | "sweep-expired", names: ResolvedTableOptions, region?: string): string {
  const parts = [`npx authjs-dynamodb-global ${command}`, `--table ${names.tableName}`];

  for (const option of Object.keys(flagOfOption) as (keyof TableOptions)[]) {
    if (option === "tableName" || names[option] === defaultTableOptions[option]) continue;
    parts.push(`${flagOfOption[option]} ${names[option]}`);
  }

  if (region !== undefined) parts.push(`--region ${region}`);
  return parts.join(" ");
}
