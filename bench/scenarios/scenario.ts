import type { BenchOptions } from "../cli.js";
import type { BenchEnvironment } from "../environment.js";
import type { RequestMeter } from "../middleware.js";
import type { Random } from "../random.js";
import type { SeededSessions } from "../seed.js";

/** Stable scenario ids, in report order. */
export const scenarioIds = ["official", "cold", "hot", "mixed", "remote-fresh", "remote-fresh-official"] as const;

export type ScenarioId = (typeof scenarioIds)[number];

/** Services and data available to every scenario's set-up. */
export interface ScenarioContext {
  readonly environment: BenchEnvironment;
  readonly options: BenchOptions;
  /** Sessions each adapter wrote in the single-region table before any scenario started. */
  readonly seeded: { readonly official: SeededSessions; readonly ours: SeededSessions };
  /** A generator seeded from `options.seed` and the scenario id, so each scenario's draws repeat across runs. */
  createRandom(scenarioId: ScenarioId): Random;
  /** Writes one line of progress to stderr. */
  progress(line: string): void;
  /**
   * Heap bytes per cached session of our adapter with its default cache,
   * measured on the first call and shared by every scenario that uses that
   * cache, because the figure depends on the cache settings, not on the order
   * of look-ups.
   */
  defaultCacheHeapBytesPerSession(): Promise<number | null>;
  /** Registers a task that runs when the run ends, successful or not, before DynamoDB Local stops. */
  onClose(task: () => Promise<void>): void;
}

/** A scenario that is ready to measure. */
export interface ScenarioRunner {
  /** Counts the requests of every client this scenario uses. */
  readonly meter: RequestMeter;
  /** Untimed work before each look-up, such as creating the session the look-up reads. */
  readonly prepare?: () => Promise<void>;
  /** One timed look-up; resolves `true` when the session and its user were returned. */
  lookup(): Promise<boolean>;
  /** Heap bytes per cached session, for scenarios that use the cache. */
  readonly heapBytesPerSession?: number | null;
}

export type ScenarioSetup =
  | { readonly kind: "ready"; readonly runner: ScenarioRunner }
  /** A scenario this run cannot measure; the report shows the reason instead of numbers. */
  | { readonly kind: "skipped"; readonly reason: string };

export interface Scenario {
  readonly id: ScenarioId;
  /** One line for the report: what is measured. */
  readonly title: string;
  /** Whether the report shows the hit ratio and heap bytes per cached session. */
  readonly usesCache: boolean;
  /** Whether the scenario needs two region databases, which only DynamoDB Local provides here. */
  readonly needsRegions: boolean;
  setUp(context: ScenarioContext): Promise<ScenarioRunner>;
}

/** Draws one element of a non-empty list. */
export function pick<T>(items: readonly T[], index: number): T {
  const item = items[index % items.length];
  if (item === undefined) throw new Error("Cannot pick from an empty list of seeded sessions.");
  return item;
}
