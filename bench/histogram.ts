import { build, type Histogram } from "hdr-histogram-js";

/** Latency percentiles of one scenario, in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly maxMs: number;
}

// One minute: no look-up takes longer unless something is broken, and
// hdr-histogram-js resizes if one does.
const highestTrackableMicros = 60_000_000;

/**
 * Records look-up latencies in whole microseconds into an HdrHistogram with
 * three significant digits, so each percentile is within 0.1 % of a recorded
 * value. A look-up under 1 µs (a warm cache hit can be) is recorded as 1 µs,
 * the histogram's lowest value.
 */
export class LatencyRecorder {
  readonly #histogram: Histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: highestTrackableMicros,
    numberOfSignificantValueDigits: 3,
  });

  recordNanoseconds(nanoseconds: bigint): void {
    const micros = Math.max(1, Math.round(Number(nanoseconds) / 1000));
    this.#histogram.recordValue(micros);
  }

  get count(): number {
    return this.#histogram.totalCount;
  }

  summarize(): LatencySummary {
    const toMs = (micros: number) => micros / 1000;

    return {
      count: this.#histogram.totalCount,
      p50Ms: toMs(this.#histogram.getValueAtPercentile(50)),
      p95Ms: toMs(this.#histogram.getValueAtPercentile(95)),
      p99Ms: toMs(this.#histogram.getValueAtPercentile(99)),
      meanMs: toMs(this.#histogram.mean),
      maxMs: toMs(this.#histogram.maxValue),
    };
  }

  destroy(): void {
    this.#histogram.destroy();
  }
}
