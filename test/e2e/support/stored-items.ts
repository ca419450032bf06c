import type { ResolvedTableOptions } from "../../../src/table-options.js";

/** A raw table item, as `scanAll()` returns it. */
export type StoredItem = Record<string, unknown>;

/** Primary key of a raw item, read through the configured key attribute names. */
export interface StoredKey {
  readonly partitionKey: string;
  readonly sortKey: string;
}

/** Reads an item's partition and sort key, and throws when either is missing or not a string. */
export function keyOf(item: StoredItem, names: ResolvedTableOptions): StoredKey {
  const partitionKey = item[names.partitionKey];
  const sortKey = item[names.sortKey];

  if (typeof partitionKey !== "string" || typeof sortKey !== "string") {
    throw new Error(
      `Expected string key attributes \`${names.partitionKey}\` and \`${names.sortKey}\`, but the item has: ${JSON.stringify(item)}`,
    );
  }

  return { partitionKey, sortKey };
}

/** Items whose partition key starts with `prefix`. */
export function withPartitionKeyPrefix(items: readonly StoredItem[], names: ResolvedTableOptions, prefix: string): StoredItem[] {
  return items.filter((item) => keyOf(item, names).partitionKey.startsWith(prefix));
}

/** Items whose partition key equals `partitionKey`. */
export function withPartitionKey(items: readonly StoredItem[], names: ResolvedTableOptions, partitionKey: string): StoredItem[] {
  return items.filter((item) => keyOf(item, names).partitionKey === partitionKey);
}

/** Items whose sort key starts with `prefix`. */
export function withSortKeyPrefix(items: readonly StoredItem[], names: ResolvedTableOptions, prefix: string): StoredItem[] {
  return items.filter((item) => keyOf(item, names).sortKey.startsWith(prefix));
}

/**
 * User items in the official adapter's layout, where partition and sort key are
 * both `USER#<id>`. Items in the user's partition with other sort keys, such as
 * sessions and accounts, are left out.
 */
export function userItems(items: readonly StoredItem[], names: ResolvedTableOptions): StoredItem[] {
  return items.filter((item) => {
    const key = keyOf(item, names);
    return key.partitionKey.startsWith("USER#") && key.sortKey === key.partitionKey;
  });
}

/**
 * Distinct session tokens named in any key as `SESSION#<token>`. The official
 * adapter puts the token in the sort key of an item in the user's partition. A
 * layout that also keys an item by the token in the partition key names the
 * same token twice, and the token is counted once.
 */
export function sessionTokensInKeys(items: readonly StoredItem[], names: ResolvedTableOptions): string[] {
  const tokens = new Set<string>();
  const prefix = "SESSION#";

  for (const item of items) {
    const key = keyOf(item, names);

    if (key.partitionKey.startsWith(prefix)) tokens.add(key.partitionKey.slice(prefix.length));
    if (key.sortKey.startsWith(prefix)) tokens.add(key.sortKey.slice(prefix.length));
  }

  return [...tokens].sort();
}
