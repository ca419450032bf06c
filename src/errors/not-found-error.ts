import { AdapterError } from "./adapter-error.js";

/** A write needs an item that does not exist: the one it updates, or the user it attaches to. Nothing was written. */
export class NotFoundError extends AdapterError {
  override name = "NotFoundError" as const;
  readonly entity: string;
  readonly id: string;

  constructor(entity: string, id: string, options?: { cause?: unknown }) {
    super("NotFound", `No ${entity} with id ${JSON.stringify(id)} exists, so nothing was written. Check the id, or create the ${entity} first.`, options);
    this.entity = entity;
    this.id = id;
  }
}
