import { AdapterError } from "./adapter-error.js";

/**
 * A value passed to an adapter method cannot be stored as given: an empty key
 * part, a field named like a key attribute, an `undefined` inside a list, a
 * token too long for a DynamoDB key. Nothing was written.
 */
export class InvalidInputError extends AdapterError {
  override name = "InvalidInputError" as const;
  readonly field: string;

  constructor(field: string, message: string) {
    super("InvalidInput", message);
    this.field = field;
  }
}
