import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { SessionAdapter } from "./adapters.js";

/** Method of the forced garbage collection, recorded in the report's settings. */
export type GarbageCollection = "global.gc (--expose-gc)" | "gc exposed at run time through v8.setFlagsFromString" | "none (heap figures include garbage)";

let collector: { readonly collect: (() => void) | undefined; readonly method: GarbageCollection } | undefined;

/**
 * Finds a way to force a full garbage collection: `global.gc` when Node runs
 * with `--expose-gc`, otherwise the flag is set at run time and a fresh V8
 * context returns its `gc` function. Node documents flags set after start-up
 * as unsupported, so the method used is recorded with the results.
 */
export function resolveGarbageCollector(): { readonly collect: (() => void) | undefined; readonly method: GarbageCollection } {
  if (collector !== undefined) return collector;

  const exposed = (globalThis as { gc?: unknown }).gc;

  if (typeof exposed === "function") {
    collector = { collect: exposed as () => void, method: "global.gc (--expose-gc)" };
    return collector;
  }

  try {
    setFlagsFromString("--expose-gc");
    const late = runInNewContext("gc") as unknown;
    if (typeof late === "function") {
      collector = { collect: late as () => void, method: "gc exposed at run time through v8.setFlagsFromString" };
      return collector;
    }
  } catch {
    // Falls through: heap figures are then measured without a forced collection.
  }

  collector = { collect: undefined, method: "none (heap figures include garbage)" };
  return collector;
}

/**
 * Returns the bytes of live objects after a forced collection, summed over
 * every V8 heap space except the code spaces. Code grows while the JIT
 * compiles the read path, by a few hundred bytes per look-up in a trial run,
 * which has nothing to do with what the cache holds.
 */
function settledHeapBytes(): number {
  const { collect } = resolveGarbageCollector();

  // Two passes, because objects with finalizers survive the first one.
  collect?.();
  collect?.();

  return getHeapSpaceStatistics()
    .filter((space) => !space.space_name.startsWith("code"))
    .reduce((total, space) => total + space.space_used_size, 0);
}

/** A fresh adapter to fill, and a function that frees its client afterwards. */
export interface HeapSubject {
  readonly adapter: SessionAdapter;
  /**
   * Frees the adapter's client. Its idle keep-alive socket keeps the last
   * request's continuation reachable, and through it the cache, so without
   * this the adapter's memory would be freed during the next measurement.
   */
  release(): void;
}

// Share of the tokens looked up before the first heap reading, so that
// one-time allocations of the read path (lazily built SDK state, V8 feedback)
// fall outside the measured window.
const warmUpShare = 0.1;

async function measureOnce(subject: HeapSubject, tokens: readonly string[]): Promise<number> {
  const warmUpCount = Math.max(1, Math.floor(tokens.length * warmUpShare));
  const measured = tokens.slice(warmUpCount);

  try {
    for (const token of tokens.slice(0, warmUpCount)) await subject.adapter.getSessionAndUser(token);
    const before = settledHeapBytes();

    for (const token of measured) await subject.adapter.getSessionAndUser(token);
    const after = settledHeapBytes();

    // The adapter must stay reachable until after the second reading, or its cache could be collected with it.
    await subject.adapter.getSessionAndUser(measured[0] as string);

    return (after - before) / measured.length;
  } finally {
    subject.release();
  }
}

/**
 * Measures heap bytes per cached session: the growth of the heap while a
 * fresh adapter looks up `tokens` once each, divided by their count, after
 * the first tenth has warmed the read path. It repeats this `repetitions`
 * times on fresh adapters and returns the median, because a single reading
 * can be off by a megabyte when V8 frees unrelated memory inside the window
 * (seen about once in six trial readings). It is only meaningful when the
 * cache contains every token, so `tokens` must not outnumber the cache's `max`.
 * Returns `null` for fewer than ten tokens.
 */
export async function measureHeapPerCachedSession(createSubject: () => HeapSubject, tokens: readonly string[], repetitions = 3): Promise<number | null> {
  if (tokens.length < 10) return null;

  const readings: number[] = [];
  for (let repetition = 0; repetition < repetitions; repetition += 1) readings.push(await measureOnce(createSubject(), tokens));

  readings.sort((left, right) => left - right);
  return readings[Math.floor(readings.length / 2)] ?? null;
}
