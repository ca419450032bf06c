import { AdapterError } from "./adapter-error.js";

/** The region that owns an item could not be reached, so the write was not attempted or not completed. */
export class RegionUnavailableError extends AdapterError {
  override name = "RegionUnavailableError" as const;
  readonly region: string;

  constructor(region: string, operation: string, options?: { cause?: unknown }) {
    super(
      "RegionUnavailable",
      `${operation} needs region ${region}, which did not respond; nothing was written. ` +
        "Retry when the region is reachable again.",
      options,
    );
    this.region = region;
  }
}
