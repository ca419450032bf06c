import { AdapterError } from "./adapter-error.js";

/** An adapter or provisioning option is missing, unknown or out of range. Thrown before any I/O. */
export class InvalidOptionError extends AdapterError {
  override name = "InvalidOptionError" as const;
  readonly option: string;
  readonly value: unknown;

  constructor(option: string, value: unknown, expectation: string) {
    super("InvalidOption", `Expected option \`${option}\` to be ${expectation}, got ${describeValue(value)}.`);
    this.option = option;
    this.value = value;
  }
}

/** Renders a value for an error message without dumping large objects. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (typeof value === "function") return "a function";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  const constructorName = (value as object).constructor?.name;
  return constructorName !== undefined && constructorName !== "Object" ? `an instance of ${constructorName}` : "an object";
}
