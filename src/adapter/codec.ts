import { InvalidInputError, ItemTooLargeError, maxItemBytes } from "../errors/index.js";
import type { ResolvedTableOptions } from "../table-options.js";
import { itemTypeMarkers } from "./keys.js";

/** DynamoDB's limit on a sort key value, in bytes; the partition key's (2048) is higher. */
export const maxSortKeyBytes = 1024;

// Same shape as @auth/core's isDate: ISO 8601 with a time and an offset.
const isoDatePattern = /^\d{4}-[01]\d-[0-3]\dT[0-2]\d:[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:[+-][0-2]\d:[0-5]\d|Z)$/;

export type Item = Record<string, unknown>;

/** Attribute names a stored object may not use, because the item's keys or type marker live there. */
export function reservedAttributeNames(names: ResolvedTableOptions, withTypeMarker: boolean): Set<string> {
  const reserved = new Set([names.partitionKey, names.sortKey, names.indexPartitionKey, names.indexSortKey]);
  if (withTypeMarker) reserved.add("type");
  return reserved;
}

/** Rejects an empty or over-long value that becomes part of a key. */
export function requireKeyPart(field: string, value: unknown, prefixBytes: number): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new InvalidInputError(field, `Expected \`${field}\` to be a non-empty string, got ${typeof value === "string" ? "an empty string" : String(value)}.`);
  }

  const bytes = Buffer.byteLength(value);
  if (bytes + prefixBytes > maxSortKeyBytes) {
    throw new InvalidInputError(
      field,
      `\`${field}\` is ${bytes} bytes, too long for a DynamoDB key (at most ${maxSortKeyBytes - prefixBytes} bytes here). Use a shorter value.`,
    );
  }

  return value;
}

/** True when `value` can be part of a key: the look-up counterpart of {@link requireKeyPart}, which returns null instead of throwing. */
export function fitsKeyPart(value: unknown, prefixBytes: number): value is string {
  return typeof value === "string" && value.length > 0 && Buffer.byteLength(value) + prefixBytes <= maxSortKeyBytes;
}

/** Rejects a date that is not a valid `Date`. */
export function requireDate(field: string, value: unknown): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new InvalidInputError(field, `Expected \`${field}\` to be a valid Date, got ${value instanceof Date ? "an invalid Date" : typeof value}.`);
  }
  return value;
}

/** Converts a `Date` to epoch seconds, rounding down so an item never outlives the requested expiry. */
export function toEpochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/**
 * Reads an `expires` attribute: epoch seconds (current official adapter and
 * this package) or an ISO string (older versions). Returns undefined when the
 * value is neither, which callers treat as expired.
 */
export function readExpires(value: unknown): Date | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return new Date(value * 1000);
  if (typeof value === "string" && isoDatePattern.test(value)) return new Date(value);
  return undefined;
}

/** True when `expires` is missing, unreadable, zero or not after `nowMs`. */
export function isExpired(value: unknown, nowMs: number): boolean {
  const expires = readExpires(value);
  return expires === undefined || expires.getTime() <= nowMs;
}

/**
 * Converts an object from Auth.js into item attributes: top-level
 * `undefined` fields are dropped (Auth.js uses them for "not set"), `Date`s
 * become ISO strings except `expires`, which becomes epoch seconds for
 * DynamoDB's time to live. Throws {@link InvalidInputError} for a field named
 * like a key attribute and for values DynamoDB cannot store faithfully.
 */
export function toAttributes(entity: string, object: Record<string, unknown>, reserved: ReadonlySet<string>): Item {
  const attributes: Item = {};

  for (const [field, value] of Object.entries(object)) {
    if (value === undefined) continue;

    if (reserved.has(field)) {
      throw new InvalidInputError(
        field,
        `The ${entity} field \`${field}\` has the name of a key or marker attribute of the table, so storing it would corrupt the item. ` +
          "Rename or drop the field (for a user, in the Auth.js `profile` callback), or configure other key names in the adapter options.",
      );
    }

    if (field === "expires" && value instanceof Date) {
      attributes[field] = toEpochSeconds(requireDate(`${entity}.expires`, value));
      continue;
    }

    attributes[field] = toAttributeValue(`${entity}.${field}`, value);
  }

  return attributes;
}

function toAttributeValue(path: string, value: unknown): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;

  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new InvalidInputError(path, `\`${path}\` is ${value}; DynamoDB stores only finite numbers. Store it as a string or drop it.`);
    // Past 2^53 a JavaScript number has already lost digits, and the SDK refuses to marshal it.
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      throw new InvalidInputError(path, `\`${path}\` is ${value}, past Number.MAX_SAFE_INTEGER, so it cannot be stored exactly. Store it as a string.`);
    }
    return value;
  }

  if (value instanceof Date) return requireDate(path, value).toISOString();
  if (value instanceof Set && value.size === 0) {
    throw new InvalidInputError(path, `\`${path}\` is an empty Set; DynamoDB cannot store empty sets. Use an empty list, or drop the field.`);
  }
  if (value instanceof Uint8Array || value instanceof Set) return value;

  if (Array.isArray(value)) {
    return value.map((element, index) => {
      if (element === undefined) {
        throw new InvalidInputError(`${path}[${index}]`, `\`${path}[${index}]\` is undefined; DynamoDB lists cannot hold it. Use null or remove the element.`);
      }
      return toAttributeValue(`${path}[${index}]`, element);
    });
  }

  if (typeof value === "object" && isPlainObject(value)) {
    const map: Item = {};
    for (const [field, nested] of Object.entries(value)) {
      if (nested !== undefined) map[field] = toAttributeValue(`${path}.${field}`, nested);
    }
    return map;
  }

  throw new InvalidInputError(path, `\`${path}\` is a ${describeKind(value)}, which DynamoDB cannot store. Convert it to a string, number, boolean, list or plain object.`);
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function describeKind(value: unknown): string {
  if (typeof value !== "object" || value === null) return typeof value;
  return `${value.constructor?.name ?? "object"} instance`;
}

/**
 * Converts a stored item back into the object Auth.js expects: key attributes
 * and this package's type markers are removed, `expires` becomes a `Date`
 * from epoch seconds, and ISO date strings become `Date`s as the official
 * adapter does.
 */
export function fromItem<T>(item: Item | undefined, names: ResolvedTableOptions): T | null {
  if (item === undefined) return null;

  const object: Record<string, unknown> = {};
  const keyNames = [names.partitionKey, names.sortKey, names.indexPartitionKey, names.indexSortKey];

  for (const [field, value] of Object.entries(item)) {
    if (keyNames.includes(field)) continue;
    if (field === "type" && typeof value === "string" && itemTypeMarkers.has(value)) continue;

    if (field === "expires") {
      object[field] = readExpires(value) ?? value;
    } else if (typeof value === "string" && isoDatePattern.test(value) && !Number.isNaN(Date.parse(value))) {
      object[field] = new Date(value);
    } else {
      object[field] = value;
    }
  }

  return object as T;
}

/**
 * Estimates an item's stored size in bytes the way DynamoDB counts it:
 * attribute names plus values, UTF-8 strings, about 21 bytes per number, and
 * a few bytes of overhead per list or map element. An estimate, so the
 * check leaves DynamoDB's own limit as the final word.
 */
export function estimateItemBytes(item: Item): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) bytes += Buffer.byteLength(name) + estimateValueBytes(value);
  return bytes;
}

function estimateValueBytes(value: unknown): number {
  if (typeof value === "string") return Buffer.byteLength(value);
  if (typeof value === "number") return 21;
  if (typeof value === "boolean" || value === null || value === undefined) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((sum: number, element) => sum + estimateValueBytes(element), 0);
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, element) => sum + 1 + estimateValueBytes(element), 0);
  if (typeof value === "object") return 3 + estimateItemBytes(value as Item) + Object.keys(value).length;
  return 0;
}

/** Throws {@link ItemTooLargeError} before a write that DynamoDB would reject for size. */
export function assertItemFits(entity: string, item: Item): void {
  const bytes = estimateItemBytes(item);
  if (bytes > maxItemBytes) throw new ItemTooLargeError(entity, bytes);
}
