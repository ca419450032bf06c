import { performance } from "node:perf_hooks";
import { LatencyRecorder } from "./histogram.js";
import { copyRequestMeter } from "./middleware.js";
import type { ScenarioId, ScenarioRunner } from "./scenarios/index.js";

/** Everything recorded for one scenario in one set. */
export interface ScenarioMeasurement {
  readonly latency: LatencyRecorder;
  lookups: number;
  /** Look-ups that returned a session and its user. */
  found: number;
  /** Look-ups that found the session without sending any DynamoDB request, which only a cache hit does. */
  lookupsWithoutRequest: number;
  /** Time spent inside timed look-ups, in nanoseconds. */
  timedNanoseconds: bigint;
  requests: number;
  readCommands: number;
  capacityReports: number;
  readCapacityUnits: number;
}

export interface MeasuredScenario {
  readonly id: ScenarioId;
  readonly runner: ScenarioRunner;
}

/** Timing of one set of measurements. */
export interface MeasureSettings {
  /** Name of the set in progress lines, such as "loopback". */
  readonly label: string;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly rounds: number;
}

function createMeasurement(): ScenarioMeasurement {
  return { latency: new LatencyRecorder(), lookups: 0, found: 0, lookupsWithoutRequest: 0, timedNanoseconds: 0n, requests: 0, readCommands: 0, capacityReports: 0, readCapacityUnits: 0 };
}

/** Times one look-up and adds it, with the requests it sent, to `measurement`. */
async function measureOneLookup(runner: ScenarioRunner, measurement: ScenarioMeasurement): Promise<void> {
  if (runner.prepare !== undefined) await runner.prepare();

  const before = copyRequestMeter(runner.meter);
  const start = process.hrtime.bigint();
  const found = await runner.lookup();
  const elapsed = process.hrtime.bigint() - start;
  const requests = runner.meter.requests - before.requests;

  measurement.latency.recordNanoseconds(elapsed);
  measurement.lookups += 1;
  measurement.timedNanoseconds += elapsed;
  measurement.requests += requests;
  measurement.readCommands += runner.meter.readCommands - before.readCommands;
  measurement.capacityReports += runner.meter.capacityReports - before.capacityReports;
  measurement.readCapacityUnits += runner.meter.readCapacityUnits - before.readCapacityUnits;

  if (found) measurement.found += 1;
  if (found && requests === 0) measurement.lookupsWithoutRequest += 1;
}

/** Runs look-ups one after another until `durationMs` has passed, at least one. */
async function runSlice(runner: ScenarioRunner, measurement: ScenarioMeasurement, durationMs: number): Promise<void> {
  const deadline = performance.now() + durationMs;

  do {
    await measureOneLookup(runner, measurement);
  } while (performance.now() < deadline);
}

/**
 * Measures every scenario for `durationSeconds`, cut into `rounds` slices.
 * Each round runs one slice of every scenario and rotates the order by one,
 * so a burst of machine noise lands on all scenarios alike rather than on
 * whichever ran at that moment. A warm-up slice per scenario, not recorded,
 * comes first. Look-ups run one at a time (concurrency 1).
 */
export async function measureSet(scenarios: readonly MeasuredScenario[], settings: MeasureSettings, progress: (line: string) => void): Promise<Map<ScenarioId, ScenarioMeasurement>> {
  const measurements = new Map<ScenarioId, ScenarioMeasurement>(scenarios.map((scenario) => [scenario.id, createMeasurement()]));
  const sliceMs = (settings.durationSeconds * 1000) / settings.rounds;

  progress(`[${settings.label}] warming up ${scenarios.length} scenarios, ${settings.warmupSeconds} s each`);
  for (const scenario of scenarios) {
    const discarded = createMeasurement();
    await runSlice(scenario.runner, discarded, settings.warmupSeconds * 1000);
    discarded.latency.destroy();
  }

  for (let round = 0; round < settings.rounds; round += 1) {
    const order = scenarios.map((_, index) => scenarios[(index + round) % scenarios.length] as MeasuredScenario);

    for (const scenario of order) await runSlice(scenario.runner, measurements.get(scenario.id) as ScenarioMeasurement, sliceMs);

    const counts = scenarios.map((scenario) => `${scenario.id} ${measurements.get(scenario.id)?.lookups ?? 0}`).join(", ");
    progress(`[${settings.label}] round ${round + 1}/${settings.rounds} done; look-ups so far: ${counts}`);
  }

  return measurements;
}
