import { InvalidOptionError } from "./errors/index.js";

/**
 * Names of the table, its keys and its index. The defaults match the official
 * `@auth/dynamodb-adapter`, so a table it created works unchanged.
 */
export interface TableOptions {
  /**
   * Name of the DynamoDB table.
   * @default "next-auth"
   */
  readonly tableName?: string;
  /**
   * Name of the table's partition key attribute (type String).
   * @default "pk"
   */
  readonly partitionKey?: string;
  /**
   * Name of the table's sort key attribute (type String).
   * @default "sk"
   */
  readonly sortKey?: string;
  /**
   * Name of the global secondary index used to read items written by the
   * official adapter. It must project ALL attributes.
   * @default "GSI1"
   */
  readonly indexName?: string;
  /**
   * Name of the index's partition key attribute (type String).
   * @default "GSI1PK"
   */
  readonly indexPartitionKey?: string;
  /**
   * Name of the index's sort key attribute (type String).
   * @default "GSI1SK"
   */
  readonly indexSortKey?: string;
}

/** Table options with every default applied. */
export type ResolvedTableOptions = { readonly [K in keyof TableOptions]-?: string };

export const defaultTableOptions: ResolvedTableOptions = {
  tableName: "next-auth",
  partitionKey: "pk",
  sortKey: "sk",
  indexName: "GSI1",
  indexPartitionKey: "GSI1PK",
  indexSortKey: "GSI1SK",
};

export const tableOptionKeys = Object.keys(defaultTableOptions) as ReadonlyArray<keyof TableOptions>;

// DynamoDB's rules: table and index names are 3-255 characters of [a-zA-Z0-9_.-];
// key attribute names are 1-255 bytes.
const tableNamePattern = /^[a-zA-Z0-9_.-]{3,255}$/;

/** Applies defaults and checks every name, before any request is sent. */
export function resolveTableOptions(options: TableOptions = {}): ResolvedTableOptions {
  const resolved = { ...defaultTableOptions };

  for (const key of tableOptionKeys) {
    const value = options[key];
    if (value === undefined) continue;

    const isTableOrIndex = key === "tableName" || key === "indexName";
    const valid = typeof value === "string" && (isTableOrIndex ? tableNamePattern.test(value) : value.length > 0 && Buffer.byteLength(value) <= 255);

    if (!valid) {
      throw new InvalidOptionError(
        key,
        value,
        isTableOrIndex ? "3 to 255 characters of letters, digits, `_`, `-` or `.`" : "a non-empty attribute name of at most 255 bytes",
      );
    }

    resolved[key] = value;
  }

  const keyNames = [resolved.partitionKey, resolved.sortKey, resolved.indexPartitionKey, resolved.indexSortKey];
  if (new Set(keyNames).size !== keyNames.length) {
    throw new InvalidOptionError("partitionKey/sortKey/indexPartitionKey/indexSortKey", keyNames.join(", "), "four distinct attribute names");
  }

  return resolved;
}
