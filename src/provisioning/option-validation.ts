import { InvalidOptionError } from "../errors/index.js";
import type { ResolvedTableOptions } from "../table-options.js";

/**
 * Throws {@link InvalidOptionError} for the first key of `options` that is not
 * in `acceptedKeys`, so a misspelled option fails instead of silently taking
 * its default.
 */
export function rejectUnknownOptions(options: object, acceptedKeys: readonly string[], functionName: string): void {
  for (const [key, value] of Object.entries(options)) {
    if (acceptedKeys.includes(key)) continue;

    throw new InvalidOptionError(key, value, `a known option name (${functionName} accepts ${acceptedKeys.join(", ")})`);
  }
}

/**
 * Returns the time-to-live attribute name, or throws when it is empty, longer
 * than DynamoDB's 255-byte limit on attribute names, or one of the key
 * attributes (those are strings, and DynamoDB's TTL only reads numbers).
 */
export function resolveTtlAttribute(value: unknown, names: ResolvedTableOptions): string {
  if (value === undefined) return "expires";

  const keyNames = [names.partitionKey, names.sortKey, names.indexPartitionKey, names.indexSortKey];
  const valid = typeof value === "string" && value.length > 0 && Buffer.byteLength(value) <= 255 && !keyNames.includes(value);

  if (!valid) {
    throw new InvalidOptionError("ttlAttribute", value, `a non-empty attribute name of at most 255 bytes other than the key attributes (${keyNames.join(", ")})`);
  }

  return value;
}

/** Returns `value`, or `fallback` when it is undefined. Throws unless it is a finite number above zero. */
export function resolvePositiveNumber(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;

  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new InvalidOptionError(option, value, "a finite number greater than 0");
  }

  return value;
}

/** Returns `value`, or `fallback` when it is undefined. Throws unless it is a boolean. */
export function resolveBoolean(option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw new InvalidOptionError(option, value, "true or false");

  return value;
}

/** Returns `value`, or `fallback` when it is undefined. Throws unless it is a function. */
export function resolveFunction<T extends (...args: never[]) => unknown>(option: string, value: unknown, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== "function") throw new InvalidOptionError(option, value, "a function");

  return value as T;
}
