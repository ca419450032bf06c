import { describe, expect, it } from "vitest";
import { deepClone } from "../../src/cache/clone.js";

describe("deepClone", () => {
  it("returns primitives unchanged", () => {
    for (const value of ["text", 42, true, null, undefined, 10n]) {
      expect(deepClone(value)).toBe(value);
    }
  });

  it("copies Dates as Dates", () => {
    const source = new Date("2030-01-01T00:00:00.000Z");

    const copy = deepClone(source);
    source.setTime(0);

    expect(copy).toBeInstanceOf(Date);
    expect(copy.toISOString()).toBe("2030-01-01T00:00:00.000Z");
  });

  it("copies nested objects and arrays", () => {
    const source = { user: { name: "Ada", tags: ["a", { deep: [1, 2] }] }, at: new Date(5) };

    const copy = deepClone(source);
    source.user.name = "Grace";
    (source.user.tags[1] as { deep: number[] }).deep.push(3);
    source.at.setTime(6);

    expect(copy).toEqual({ user: { name: "Ada", tags: ["a", { deep: [1, 2] }] }, at: new Date(5) });
    expect(copy.user).not.toBe(source.user);
    expect(copy.at).not.toBe(source.at);
  });

  it("keeps sparse array length and undefined items", () => {
    const copy = deepClone([undefined, null, 1]);

    expect(copy).toEqual([undefined, null, 1]);
    expect(copy).toHaveLength(3);
  });

  it("copies Sets and Maps deeply", () => {
    const member = { id: 1 };
    const source = { set: new Set([member]), map: new Map([["k", { id: 2 }]]) };

    const copy = deepClone(source);
    member.id = 99;
    source.map.get("k")!.id = 99;

    expect([...copy.set]).toEqual([{ id: 1 }]);
    expect(copy.map.get("k")).toEqual({ id: 2 });
    expect(copy.set).toBeInstanceOf(Set);
    expect(copy.map).toBeInstanceOf(Map);
  });

  it("copies Buffers into new memory", () => {
    const source = Buffer.from("abc");

    const copy = deepClone(source);
    source[0] = 0x7a;

    expect(Buffer.isBuffer(copy)).toBe(true);
    expect(copy.toString()).toBe("abc");
  });

  it("copies only the viewed bytes of a typed array", () => {
    const backing = new Uint8Array([1, 2, 3, 4, 5, 6]);
    const view = backing.subarray(2, 4);

    const copy = deepClone(view);
    backing[2] = 0;

    expect(copy).toBeInstanceOf(Uint8Array);
    expect(Array.from(copy)).toEqual([3, 4]);
    expect(copy.buffer.byteLength).toBe(2);
  });

  it("keeps null-prototype objects prototype-free", () => {
    const source = Object.create(null) as Record<string, unknown>;
    source["a"] = { b: 1 };

    const copy = deepClone(source);

    expect(Object.getPrototypeOf(copy)).toBeNull();
    expect(copy["a"]).toEqual({ b: 1 });
    expect(copy["a"]).not.toBe(source["a"]);
  });

  it("copies an own __proto__ key as data", () => {
    const source = JSON.parse('{"__proto__": {"admin": true}, "name": "x"}') as Record<string, unknown>;

    const copy = deepClone(source);

    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.hasOwn(copy, "__proto__")).toBe(true);
    expect((copy as { admin?: boolean }).admin).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(copy, "__proto__")?.value).toEqual({ admin: true });
  });

  it("copies the data of other class instances", () => {
    class Point {
      constructor(public x: number) {}
    }
    const source = { point: new Point(1) };

    const copy = deepClone(source);
    source.point.x = 2;

    expect(copy.point.x).toBe(1);
  });
});
