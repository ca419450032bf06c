import { InvalidOptionError } from "../errors/index.js";

/**
 * Settings of the in-process cache of sessions and users. The cache returns
 * the results of `getSessionAndUser` and `getUser` without a DynamoDB request
 * while an entry is fresh, so the TTL is also the time that another process's sign-out or
 * user update can take to reach this process.
 */
export interface CacheOptions {
  /**
   * Time in milliseconds that a cached session or user is returned without a
   * DynamoDB request. A session that was signed out or changed by another
   * process (or region) stays visible here for at most this long, plus
   * `staleWhileRevalidate` when that is set. A session is never returned past
   * its own `expires`, whatever the TTL.
   * @default 5_000
   */
  readonly ttl?: number;
  /**
   * Maximum number of cached entries (sessions and users together). lru-cache
   * allocates its bookkeeping arrays for all `max` entries up front, so memory
   * grows with this value even while the cache is empty.
   * @default 10_000
   */
  readonly max?: number;
  /**
   * Maximum total size of the cache in bytes, measured as an estimate of the
   * JavaScript heap that each entry uses. The least recently used entries are
   * evicted to stay below it. An entry larger than `maxSize` is not cached.
   * @default 16_777_216 (16 MiB)
   */
  readonly maxSize?: number;
  /**
   * Time in milliseconds after `ttl` during which an expired entry is still
   * returned while one background request reloads it from DynamoDB. This hides
   * the reload latency but extends the staleness bound to
   * `ttl + staleWhileRevalidate`. A session is never returned past its own
   * `expires`. `0` turns it off, so a request after `ttl` waits for DynamoDB.
   * @default 0
   */
  readonly staleWhileRevalidate?: number;
  /**
   * Time in milliseconds after `ttl` during which a failed reload (a DynamoDB
   * error) returns the expired entry instead of the error. While DynamoDB
   * fails, a signed-out session can then stay visible for up to
   * `ttl + staleIfError`. A session is never returned past its own `expires`.
   * `0` turns it off, so the error reaches the caller.
   * @default 0
   */
  readonly staleIfError?: number;
}

/** Cache options with every default applied. */
export type ResolvedCacheOptions = Required<CacheOptions>;

export const defaultCacheOptions: ResolvedCacheOptions = {
  ttl: 5_000,
  max: 10_000,
  maxSize: 16 * 1024 * 1024,
  staleWhileRevalidate: 0,
  staleIfError: 0,
};

interface OptionRule {
  readonly minimum: 0 | 1;
  readonly unit: string;
}

const optionRules: { readonly [K in keyof CacheOptions]-?: OptionRule } = {
  ttl: { minimum: 1, unit: "milliseconds" },
  max: { minimum: 1, unit: "entries" },
  maxSize: { minimum: 1, unit: "bytes" },
  staleWhileRevalidate: { minimum: 0, unit: "milliseconds" },
  staleIfError: { minimum: 0, unit: "milliseconds" },
};

const optionKeys = Object.keys(optionRules) as ReadonlyArray<keyof CacheOptions>;

const knownKeysText = `${optionKeys.slice(0, -1).join(", ")} and ${optionKeys.at(-1) ?? ""}`;

/**
 * Validates the `cache` option and applies defaults. Returns `false` when the
 * cache is turned off. Throws `InvalidOptionError` for a value that is not
 * `false`, `undefined` or a plain object, for unknown keys and for numbers
 * out of range, before any request is sent.
 */
export function resolveCacheOptions(value: unknown): ResolvedCacheOptions | false {
  if (value === false) return false;
  if (value === undefined) return { ...defaultCacheOptions };

  if (!isPlainObject(value)) {
    throw new InvalidOptionError("cache", value, `false or an object with the keys ${knownKeysText}`);
  }

  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(optionRules, key)) {
      throw new InvalidOptionError(`cache.${key}`, value[key], `left out, because \`cache\` accepts only ${knownKeysText}`);
    }
  }

  const resolved = { ...defaultCacheOptions };

  for (const key of optionKeys) {
    const option = value[key];
    if (option === undefined) continue;

    const rule = optionRules[key];
    if (typeof option !== "number" || !Number.isSafeInteger(option) || option < rule.minimum) {
      const range = rule.minimum === 1 ? "a positive integer" : "a non-negative integer";
      throw new InvalidOptionError(`cache.${key}`, option, `${range} number of ${rule.unit}`);
    }

    resolved[key] = option;
  }

  return resolved;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;

  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
