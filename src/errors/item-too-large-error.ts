import { AdapterError } from "./adapter-error.js";

/** DynamoDB's limit on the size of one item, in bytes (400 KB). */
export const maxItemBytes = 400 * 1024;

/** An item would exceed DynamoDB's 400 KB item size limit. Nothing was written. */
export class ItemTooLargeError extends AdapterError {
  override name = "ItemTooLargeError" as const;
  readonly entity: string;
  /** Estimated size; undefined when DynamoDB rejected the item before this package measured it. */
  readonly sizeBytes: number | undefined;

  constructor(entity: string, sizeBytes: number | undefined, options?: { cause?: unknown }) {
    super(
      "ItemTooLarge",
      `The ${entity} item is ${sizeBytes === undefined ? "larger than" : `about ${sizeBytes} bytes, over`} DynamoDB's limit of ${maxItemBytes} bytes per item. ` +
        "Store large profile fields (images, tokens) elsewhere or drop them in the Auth.js profile callback.",
      options,
    );
    this.entity = entity;
    this.sizeBytes = sizeBytes;
  }
}
