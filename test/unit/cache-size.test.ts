import { describe, expect, it } from "vitest";
import { entryOverheadBytes, estimateBytes, estimateEntryBytes } from "../../src/cache/size.js";

describe("estimateBytes", () => {
  it("grows with string length", () => {
    expect(estimateBytes("a".repeat(1_000)) - estimateBytes("")).toBe(2_000);
  });

  it("counts nested values", () => {
    const flat = { name: "Ada" };
    const nested = { name: "Ada", profile: { bio: "x".repeat(500) } };

    expect(estimateBytes(nested)).toBeGreaterThan(estimateBytes(flat) + 1_000);
  });

  it("counts array items, Set members and Map entries", () => {
    const text = "y".repeat(100);

    expect(estimateBytes([text, text])).toBeGreaterThan(2 * estimateBytes(text));
    expect(estimateBytes(new Set([text, `${text}z`]))).toBeGreaterThan(2 * estimateBytes(text));
    expect(estimateBytes(new Map([["k", text]]))).toBeGreaterThan(estimateBytes(text));
  });

  it("counts binary data by its byte length", () => {
    expect(estimateBytes(new Uint8Array(4_096)) - estimateBytes(new Uint8Array(0))).toBe(4_096);
    expect(estimateBytes(Buffer.alloc(100)) - estimateBytes(Buffer.alloc(0))).toBe(100);
  });

  it("counts nothing for null and undefined", () => {
    expect(estimateBytes(null)).toBe(0);
    expect(estimateBytes(undefined)).toBe(0);
  });
});

describe("estimateEntryBytes", () => {
  it("returns a positive integer that includes the fixed overhead", () => {
    const size = estimateEntryBytes("s:token", { big: 12345678901234567890n });

    expect(Number.isInteger(size)).toBe(true);
    expect(size).toBeGreaterThan(entryOverheadBytes);
  });

  it("counts the key", () => {
    expect(estimateEntryBytes("s:" + "t".repeat(64), null) - estimateEntryBytes("s:", null)).toBe(128);
  });
});
