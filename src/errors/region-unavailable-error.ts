import { AdapterError } from "./adapter-error.js";

/** The region that owns an item could not be reached, so the request failed or its outcome is unknown. */
export class RegionUnavailableError extends AdapterError {
  override name = "RegionUnavailableError" as const;
  readonly region: string;

  constructor(region: string, operation: string, options?: { cause?: unknown }) {
    super(
      "RegionUnavailable",
      `${operation} needs region ${region}, which did not respond. ` +
        "A write that timed out may or may not have been applied there, and a transaction is applied whole or not at all; retry when the region is reachable again.",
      options,
    );
    this.region = region;
  }
}
