import { AdapterError } from "./adapter-error.js";

/** The table or its index is missing or has another schema than the options describe. */
export class TableSchemaError extends AdapterError {
  override name = "TableSchemaError" as const;
  readonly tableName: string;

  constructor(tableName: string, problem: string, options?: { cause?: unknown }) {
    super("TableSchema", `Table ${JSON.stringify(tableName)}: ${problem}`, options);
    this.tableName = tableName;
  }
}
