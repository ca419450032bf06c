import { AdapterError } from "./adapter-error.js";

/** A bounded retry loop gave up. `cause` is the last failure. */
export class RetriesExhaustedError extends AdapterError {
  override name = "RetriesExhaustedError" as const;
  readonly operation: string;
  readonly attempts: number;

  constructor(operation: string, attempts: number, detail: string, options?: { cause?: unknown }) {
    super("RetriesExhausted", `${operation} failed after ${attempts} attempts: ${detail}`, options);
    this.operation = operation;
    this.attempts = attempts;
  }
}
