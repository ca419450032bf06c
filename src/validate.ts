import { InvalidOptionError } from "./errors/index.js";

/** Throws {@link InvalidOptionError} naming the first key of `value` that is not in `known`. */
export function rejectUnknownKeys(scope: string, value: object, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const path = scope === "" ? key : `${scope}.${key}`;
      throw new InvalidOptionError(path, (value as Record<string, unknown>)[key], `one of the known options (${known.join(", ")}); remove \`${path}\``);
    }
  }
}

/** Validates an optional whole number in [min, max]; returns the fallback when absent. */
export function optionalInteger(path: string, value: unknown, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidOptionError(path, value, `a whole number from ${min} to ${max === Number.MAX_SAFE_INTEGER ? "Number.MAX_SAFE_INTEGER" : max}`);
  }
  return value;
}

/** Validates a plain options object, or undefined. */
export function optionalObject(path: string, value: unknown): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InvalidOptionError(path, value, "an object");
  return value as Record<string, unknown>;
}
