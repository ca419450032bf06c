/**
 * True when two values read from DynamoDB hold the same data: primitives,
 * Dates, arrays, plain objects, Sets, Maps and binary data, compared deeply.
 * Used to share one cached copy of a user between that user's sessions.
 */
export function sameData(left: unknown, right: unknown): boolean {
  if (Object.is(left, right)) return true;
  if (typeof left !== "object" || typeof right !== "object" || left === null || right === null) return false;
  if (Object.getPrototypeOf(left) !== Object.getPrototypeOf(right)) return false;

  if (left instanceof Date) return left.getTime() === (right as Date).getTime();
  if (Array.isArray(left)) return sameList(left, right as unknown[]);
  if (left instanceof Set) return left.size === (right as Set<unknown>).size && [...left].every((item) => (right as Set<unknown>).has(item));
  if (left instanceof Map) return sameList([...left], [...(right as Map<unknown, unknown>)]);
  if (ArrayBuffer.isView(left)) return Buffer.compare(Buffer.from(left.buffer, left.byteOffset, left.byteLength), Buffer.from((right as ArrayBufferView).buffer, (right as ArrayBufferView).byteOffset, (right as ArrayBufferView).byteLength)) === 0;

  const leftKeys = Object.keys(left);
  const rightRecord = right as Record<string, unknown>;
  return leftKeys.length === Object.keys(right).length && leftKeys.every((key) => Object.hasOwn(rightRecord, key) && sameData((left as Record<string, unknown>)[key], rightRecord[key]));
}

function sameList(left: readonly unknown[], right: readonly unknown[]): boolean {
  return left.length === right.length && left.every((item, index) => sameData(item, right[index]));
}
