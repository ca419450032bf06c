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
const highestTrackableNanos = 60_000_000_000;

/**
 * Records look-up latencies in nanoseconds into an HdrHistogram with three
 * significant digits, so each percentile is within 0.1 % of a recorded value.
 * Nanoseconds, because a warm cache hit takes one or two microseconds and a
 * microsecond histogram would round it to a whole one.
 */
export class LatencyRecorder {
  readonly #histogram: Histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: highestTrackableNanos,
    numberOfSignificantValueDigits: 3,
  });

  recordNanoseconds(nanoseconds: bigint): void {
    this.#histogram.recordValue(Math.max(1, Number(nanoseconds)));
  }

  get count(): number {
    return this.#histogram.totalCount;
  }

  summarize(): LatencySummary {
    const toMs = (nanos: number) => nanos / 1_000_000;

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
