import { AdapterError } from "./adapter-error.js";

/** DynamoDB's limit on the size of one item, in bytes (400 KB). */
export const maxItemBytes = 400 * 1024;

/** An item would exceed DynamoDB's 400 KB item size limit. Nothing was written. */
export class ItemTooLargeError extends AdapterError {
  override name = "ItemTooLargeError" as const;
  readonly entity: string;
  readonly sizeBytes: number;

  constructor(entity: string, sizeBytes: number, options?: { cause?: unknown }) {
    super(
      "ItemTooLarge",
      `The ${entity} item is about ${sizeBytes} bytes, over DynamoDB's limit of ${maxItemBytes} bytes per item. ` +
        "Store large profile fields (images, tokens) elsewhere or drop them in the Auth.js profile callback.",
      options,
    );
    this.entity = entity;
    this.sizeBytes = sizeBytes;
  }
}
