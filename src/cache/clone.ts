/**
 * Returns a deep copy of a value read from DynamoDB, so that a caller who
 * mutates it cannot change the cached entry.
 *
 * Plain objects, arrays, Dates, Sets, Maps, Buffers and typed arrays are
 * copied by hand because that is several times faster than `structuredClone`
 * on the small objects that sessions and users are. Other class instances
 * fall back to `structuredClone`, which copies their data but not their
 * prototype.
 *
 * NOTE: cyclic values recurse without end. Values unmarshalled from DynamoDB
 * cannot contain cycles.
 */
export function deepClone<T>(value: T): T {
  return cloneValue(value) as T;
}

function cloneValue(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;

  if (Array.isArray(value)) return cloneArray(value);

  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === Object.prototype || prototype === null) {
    return clonePlainObject(value as Record<string, unknown>, prototype === null);
  }

  if (value instanceof Date) return new Date(value.getTime());
  if (value instanceof Set) return new Set(Array.from(value, cloneValue));
  if (value instanceof Map) return new Map(Array.from(value, ([key, item]) => [cloneValue(key), cloneValue(item)]));

  // Buffer.prototype.slice returns a view of the same memory, so Buffers are copied with Buffer.from.
  if (Buffer.isBuffer(value)) return Buffer.from(value);

  // TypedArray.prototype.slice copies only the viewed bytes, where structuredClone would copy the whole
  // underlying ArrayBuffer, which can be a large response buffer.
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return (value as Uint8Array).slice();

  return structuredClone(value);
}

function cloneArray(source: readonly unknown[]): unknown[] {
  const copy = new Array<unknown>(source.length);
  for (let index = 0; index < source.length; index++) {
    copy[index] = cloneValue(source[index]);
  }
  return copy;
}

function clonePlainObject(source: Record<string, unknown>, nullPrototype: boolean): Record<string, unknown> {
  // Spreading gives the copy the source's shape in one step, so V8 sizes it
  // for all its properties instead of growing it one assignment at a time.
  // Spread also defines an own "__proto__" property rather than setting the prototype.
  const copy: Record<string, unknown> = nullPrototype ? Object.assign(Object.create(null) as Record<string, unknown>, source) : { ...source };

  for (const key of Object.keys(copy)) {
    const item = copy[key];
    if (typeof item !== "object" || item === null) continue;

    const cloned = cloneValue(item);
    if (key === "__proto__") {
      Object.defineProperty(copy, key, { value: cloned, writable: true, enumerable: true, configurable: true });
    } else {
      copy[key] = cloned;
    }
  }

  return copy;
}
