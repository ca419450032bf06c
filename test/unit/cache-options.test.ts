import { describe, expect, it } from "vitest";
import { defaultCacheOptions, resolveCacheOptions } from "../../src/cache/index.js";
import { InvalidOptionError } from "../../src/errors/index.js";

function captureError(value: unknown): InvalidOptionError {
  try {
    resolveCacheOptions(value);
  } catch (error) {
    if (error instanceof InvalidOptionError) return error;
    throw error;
  }
  throw new Error(`resolveCacheOptions accepted ${String(value)}`);
}

describe("resolveCacheOptions", () => {
  it("returns the defaults for undefined", () => {
    expect(resolveCacheOptions(undefined)).toEqual({
      ttl: 5_000,
      max: 10_000,
      maxSize: 16 * 1024 * 1024,
      staleWhileRevalidate: 0,
      staleIfError: 0,
    });
  });

  it("returns false for false", () => {
    expect(resolveCacheOptions(false)).toBe(false);
  });

  it("merges given options over defaults", () => {
    const resolved = resolveCacheOptions({ ttl: 1_000, staleIfError: 60_000 });

    expect(resolved).toEqual({ ...defaultCacheOptions, ttl: 1_000, staleIfError: 60_000 });
  });

  it("treats undefined values as defaults", () => {
    expect(resolveCacheOptions({ ttl: undefined, max: 5 })).toEqual({ ...defaultCacheOptions, max: 5 });
  });

  it("accepts zero for the stale windows", () => {
    const resolved = resolveCacheOptions({ staleWhileRevalidate: 0, staleIfError: 0 });

    expect(resolved).not.toBe(false);
    expect(resolved === false ? undefined : resolved.staleWhileRevalidate).toBe(0);
  });

  it("returns a copy of the defaults", () => {
    const resolved = resolveCacheOptions(undefined);
    if (resolved === false) throw new Error("cache turned off");

    Object.assign(resolved, { ttl: 1 });

    expect(defaultCacheOptions.ttl).toBe(5_000);
  });

  const invalidCases: ReadonlyArray<readonly [string, unknown, string, string]> = [
    [
      "true",
      true,
      "cache",
      "Expected option `cache` to be false or an object with the keys ttl, max, maxSize, staleWhileRevalidate and staleIfError, got true.",
    ],
    [
      "null",
      null,
      "cache",
      "Expected option `cache` to be false or an object with the keys ttl, max, maxSize, staleWhileRevalidate and staleIfError, got null.",
    ],
    [
      "an array",
      [1],
      "cache",
      "Expected option `cache` to be false or an object with the keys ttl, max, maxSize, staleWhileRevalidate and staleIfError, got an array of 1.",
    ],
    [
      "a class instance",
      new Map(),
      "cache",
      "Expected option `cache` to be false or an object with the keys ttl, max, maxSize, staleWhileRevalidate and staleIfError, got an instance of Map.",
    ],
    [
      "an unknown key",
      { tll: 5_000 },
      "cache.tll",
      "Expected option `cache.tll` to be left out, because `cache` accepts only ttl, max, maxSize, staleWhileRevalidate and staleIfError, got 5000.",
    ],
    ["a zero ttl", { ttl: 0 }, "cache.ttl", "Expected option `cache.ttl` to be a positive integer number of milliseconds, got 0."],
    ["a fractional ttl", { ttl: 1.5 }, "cache.ttl", "Expected option `cache.ttl` to be a positive integer number of milliseconds, got 1.5."],
    ["a string ttl", { ttl: "5s" }, "cache.ttl", 'Expected option `cache.ttl` to be a positive integer number of milliseconds, got "5s".'],
    ["an infinite ttl", { ttl: Number.POSITIVE_INFINITY }, "cache.ttl", "Expected option `cache.ttl` to be a positive integer number of milliseconds, got Infinity."],
    ["a NaN max", { max: Number.NaN }, "cache.max", "Expected option `cache.max` to be a positive integer number of entries, got NaN."],
    ["a negative maxSize", { maxSize: -1 }, "cache.maxSize", "Expected option `cache.maxSize` to be a positive integer number of bytes, got -1."],
    [
      "a negative staleWhileRevalidate",
      { staleWhileRevalidate: -5 },
      "cache.staleWhileRevalidate",
      "Expected option `cache.staleWhileRevalidate` to be a non-negative integer number of milliseconds, got -5.",
    ],
    [
      "a null staleIfError",
      { staleIfError: null },
      "cache.staleIfError",
      "Expected option `cache.staleIfError` to be a non-negative integer number of milliseconds, got null.",
    ],
  ];

  it.each(invalidCases)("rejects %s", (_label, value, option, message) => {
    const error = captureError(value);

    expect(error.message).toBe(message);
    expect(error.option).toBe(option);
    expect(error.code).toBe("InvalidOption");
    expect(error.name).toBe("InvalidOptionError");
  });
});
