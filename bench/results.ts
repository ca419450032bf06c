import { mkdir, writeFile } from "node:fs/promises";
import { cpus, arch, release, totalmem, type } from "node:os";
import { join } from "node:path";
import type { ScenarioMeasurement } from "./measure.js";
import type { NetworkDelay } from "./middleware.js";
import type { ScenarioId } from "./scenarios/index.js";

/** Network path to DynamoDB in a set of results. */
export type NetworkKind = "loopback" | "simulated" | "aws";

/** One scenario's figures in one set. Every figure is `null` when the scenario was skipped. */
export interface ScenarioResult {
  readonly id: ScenarioId;
  readonly title: string;
  readonly network: NetworkKind;
  /** Reason the scenario was not measured; `null` when it was. */
  readonly skipped: string | null;
  readonly lookups: number;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
  readonly meanMs: number | null;
  readonly maxMs: number | null;
  /** Sequential look-ups per second: look-ups divided by the time spent inside them. */
  readonly lookupsPerSecond: number | null;
  /** HTTP requests to DynamoDB per look-up, retries included. */
  readonly requestsPerLookup: number | null;
  /** Read capacity units per look-up as DynamoDB reported them; `null` when it reported none. */
  readonly readCapacityPerLookup: number | null;
  /** This scenario's p50 divided by `official`'s p50 in the same set; below 1 is faster. */
  readonly ratioP50VsOfficial: number | null;
  /** This scenario's p99 divided by `official`'s p99 in the same set. */
  readonly ratioP99VsOfficial: number | null;
  /** Share of look-ups that returned the session and its user, in [0, 1]. */
  readonly foundShare: number | null;
  /** Share of look-ups that found the session without any DynamoDB request (cache hits); only for cache scenarios. */
  readonly hitRatio: number | null;
  /** Heap bytes per cached session; only for cache scenarios. */
  readonly heapBytesPerSession: number | null;
}

export interface MachineDescription {
  readonly os: string;
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly totalMemoryBytes: number;
  readonly node: string;
}

export interface BenchSettings {
  readonly date: string;
  readonly machine: MachineDescription;
  readonly engine: string;
  /** Table of the single-region scenarios; remote-fresh uses the same name with `-global` appended. */
  readonly tableName: string;
  readonly durationSeconds: number;
  readonly simulatedDurationSeconds: number | null;
  readonly warmupSeconds: number;
  readonly rounds: number;
  readonly concurrency: 1;
  /** Sessions this adapter seeded; `mixed` draws from all of them. */
  readonly sessions: number;
  /** Sessions the official adapter seeded; `official` and `cold` draw uniformly from this many of each adapter's. */
  readonly uniformSessions: number;
  readonly usersPerAdapter: number;
  readonly hotSessions: number;
  readonly zipfExponent: number;
  readonly seed: number;
  readonly heapSampleSessions: number;
  readonly garbageCollection: string;
  /** Delay per request in the simulated set, in milliseconds; `null` when that set was skipped. */
  readonly simulatedDelay: NetworkDelay | null;
  readonly readCapacityNote: string;
}

export interface BenchResults {
  readonly settings: BenchSettings;
  /** Measured against DynamoDB as it is: loopback for DynamoDB Local, the real network for AWS. */
  readonly scenarios: readonly ScenarioResult[];
  /** The same scenarios with the simulated delay per request; empty when that set was skipped. */
  readonly simulatedScenarios: readonly ScenarioResult[];
}

export function describeMachine(): MachineDescription {
  const processors = cpus();

  return {
    os: `${type()} ${release()} ${arch()}`,
    cpuModel: processors[0]?.model.trim() ?? "unknown",
    cpuCount: processors.length,
    totalMemoryBytes: totalmem(),
    node: process.version,
  };
}

/** Facts about a scenario that the report needs besides its measurement. */
export interface ScenarioOutcome {
  readonly id: ScenarioId;
  readonly title: string;
  readonly usesCache: boolean;
  readonly skipped: string | null;
  readonly measurement: ScenarioMeasurement | undefined;
  readonly heapBytesPerSession: number | null;
}

function summarizeOne(outcome: ScenarioOutcome, network: NetworkKind): ScenarioResult {
  const { measurement } = outcome;
  const heapBytesPerSession = outcome.usesCache ? outcome.heapBytesPerSession : null;
  const head = { id: outcome.id, title: outcome.title, network, skipped: outcome.skipped };

  if (measurement === undefined || measurement.lookups === 0) {
    return {
      ...head,
      lookups: 0,
      p50Ms: null,
      p95Ms: null,
      p99Ms: null,
      meanMs: null,
      maxMs: null,
      lookupsPerSecond: null,
      requestsPerLookup: null,
      readCapacityPerLookup: null,
      ratioP50VsOfficial: null,
      ratioP99VsOfficial: null,
      foundShare: null,
      hitRatio: null,
      heapBytesPerSession,
    };
  }

  const latency = measurement.latency.summarize();
  const lookups = measurement.lookups;
  const capacityReported = measurement.readCommands === 0 || measurement.capacityReports > 0;

  return {
    ...head,
    lookups,
    p50Ms: latency.p50Ms,
    p95Ms: latency.p95Ms,
    p99Ms: latency.p99Ms,
    meanMs: latency.meanMs,
    maxMs: latency.maxMs,
    lookupsPerSecond: lookups / (Number(measurement.timedNanoseconds) / 1e9),
    requestsPerLookup: measurement.requests / lookups,
    readCapacityPerLookup: capacityReported ? measurement.readCapacityUnits / lookups : null,
    ratioP50VsOfficial: null,
    ratioP99VsOfficial: null,
    foundShare: measurement.found / lookups,
    hitRatio: outcome.usesCache ? measurement.lookupsWithoutRequest / lookups : null,
    heapBytesPerSession,
  };
}

/** Turns one set's measurements into results, with ratios against `official` of the same set. */
export function summarizeSet(outcomes: readonly ScenarioOutcome[], network: NetworkKind): ScenarioResult[] {
  const results = outcomes.map((outcome) => summarizeOne(outcome, network));
  const official = results.find((result) => result.id === "official");
  const ratio = (value: number | null, reference: number | null | undefined) => (value === null || reference === null || reference === undefined || reference <= 0 ? null : value / reference);

  return results.map((result) => ({
    ...result,
    ratioP50VsOfficial: ratio(result.p50Ms, official?.p50Ms),
    ratioP99VsOfficial: ratio(result.p99Ms, official?.p99Ms),
  }));
}

/** Writes latest.json and latest.svg into `directory`; returns their paths. */
export async function writeResults(directory: string, results: BenchResults, svg: string): Promise<{ readonly json: string; readonly svg: string }> {
  await mkdir(directory, { recursive: true });

  const paths = { json: join(directory, "latest.json"), svg: join(directory, "latest.svg") };
  await writeFile(paths.json, `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(paths.svg, svg);

  return paths;
}
