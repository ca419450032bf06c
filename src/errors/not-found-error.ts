import { AdapterError } from "./adapter-error.js";

/** An update targeted an item that does not exist. Nothing was written. */
export class NotFoundError extends AdapterError {
  override name = "NotFoundError" as const;
  readonly entity: string;
  readonly id: string;

  constructor(entity: string, id: string, options?: { cause?: unknown }) {
    super("NotFound", `No ${entity} with id ${JSON.stringify(id)} exists, so it was not updated.`, options);
    this.entity = entity;
    this.id = id;
  }
}
