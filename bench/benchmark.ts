import { createHash, randomUUID } from "node:crypto";
import { DynamoDBDocument } from "@aws-sdk/lib-dynamodb";
import { createOfficialAdapter, createOurAdapter } from "./adapters.js";
import { renderChart } from "./chart.js";
import type { BenchOptions, BenchTarget } from "./cli.js";
import { openEnvironment, type BenchEnvironment } from "./environment.js";
import { measureSet, type MeasuredScenario, type ScenarioMeasurement } from "./measure.js";
import { measureHeapPerCachedSession, resolveGarbageCollector } from "./memory.js";
import { createRequestMeter } from "./middleware.js";
import { createRandom } from "./random.js";
import { describeMachine, summarizeSet, writeResults, type BenchResults, type BenchSettings, type NetworkKind, type ScenarioOutcome } from "./results.js";
import { createScenarios, type Scenario, type ScenarioContext, type ScenarioId, type ScenarioSetup } from "./scenarios/index.js";
import { createSeededSessions, removeSeededUsers, seedSessions, type SeededSessions } from "./seed.js";

/** Writes one progress line; the command line sends these to stderr. */
export type Progress = (line: string) => void;

export interface BenchRun {
  readonly results: BenchResults;
  /** Paths of latest.json and latest.svg, or `null` when no output directory was set. */
  readonly written: { readonly json: string; readonly svg: string } | null;
}

// Writes in flight while seeding. In a trial on a 2-core machine, DynamoDB
// Local wrote fastest with 2 to 4 in flight and slowed down with 8 or 16.
const seedConcurrency = 4;

const readCapacityNote =
  "summed from the ConsumedCapacity that DynamoDB returns when each read requests ReturnConsumedCapacity TOTAL " +
  "(the benchmark's SDK middleware adds that parameter; neither adapter sets it). A '-' means DynamoDB reported none.";

interface SeededData {
  readonly official: SeededSessions;
  readonly ours: SeededSessions;
}

async function seedBothAdapters(environment: BenchEnvironment, options: BenchOptions, seeded: SeededData, progress: Progress): Promise<void> {
  const meter = createRequestMeter();
  const runId = randomUUID().slice(0, 8);
  const request = { users: options.users, concurrency: seedConcurrency };

  progress(`Seeding ${options.users} users and ${options.uniformSessions} sessions through @auth/dynamodb-adapter`);
  const officialAdapter = createOfficialAdapter(environment.createDocument(meter), environment.tableName);
  await seedSessions(officialAdapter, { ...request, sessions: options.uniformSessions, emailPrefix: `bench-${runId}-official` }, seeded.official);

  progress(`Seeding ${options.users} users and ${options.sessions} sessions through this adapter`);
  const ourAdapter = createOurAdapter(environment.createDocument(meter), environment.tableName, false);
  await seedSessions(ourAdapter, { ...request, sessions: options.sessions, emailPrefix: `bench-${runId}-ours` }, seeded.ours);
}

/** Deletes every seeded user with all their items, through our adapter, which also reads the official layout. */
async function removeSeededData(environment: BenchEnvironment, seeded: SeededData, progress: Progress): Promise<void> {
  progress(`Deleting ${seeded.official.userIds.length + seeded.ours.userIds.length} seeded users and their sessions`);
  const adapter = createOurAdapter(environment.createDocument(createRequestMeter()), environment.tableName, false);

  await removeSeededUsers(adapter, seeded.official, seedConcurrency);
  await removeSeededUsers(adapter, seeded.ours, seedConcurrency);
}

async function measureDefaultCacheHeap(environment: BenchEnvironment, options: BenchOptions, seeded: SeededData, progress: Progress): Promise<number | null> {
  progress(`Measuring heap per cached session: 3 fresh adapters with the default cache, ${options.heapSampleSessions} sessions each`);

  const createSubject = () => {
    const client = environment.createClient(createRequestMeter());
    return { adapter: createOurAdapter(DynamoDBDocument.from(client), environment.tableName, undefined), release: () => client.destroy() };
  };

  return measureHeapPerCachedSession(createSubject, seeded.ours.tokens.slice(0, options.heapSampleSessions));
}

/** Derives a 32-bit seed per scenario, so adding a scenario does not change the draws of the others. */
function scenarioSeed(seed: number, scenarioId: ScenarioId): number {
  return createHash("sha256").update(`${seed}:${scenarioId}`).digest().readUInt32LE(0);
}

const regionsSkipReason = "needs two region databases with replication paused, which only a run on DynamoDB Local has";

async function setUpScenarios(scenarios: readonly Scenario[], context: ScenarioContext): Promise<Map<ScenarioId, ScenarioSetup>> {
  const setups = new Map<ScenarioId, ScenarioSetup>();

  for (const scenario of scenarios) {
    if (scenario.needsRegions && context.environment.kind === "aws") {
      setups.set(scenario.id, { kind: "skipped", reason: regionsSkipReason });
      continue;
    }

    context.progress(`Setting up ${scenario.id}`);
    setups.set(scenario.id, { kind: "ready", runner: await scenario.setUp(context) });
  }

  return setups;
}

function collectOutcomes(scenarios: readonly Scenario[], setups: Map<ScenarioId, ScenarioSetup>, measurements: Map<ScenarioId, ScenarioMeasurement>): ScenarioOutcome[] {
  return scenarios.map((scenario) => {
    const setup = setups.get(scenario.id);
    const runner = setup?.kind === "ready" ? setup.runner : undefined;

    return {
      id: scenario.id,
      title: scenario.title,
      usesCache: scenario.usesCache,
      skipped: setup?.kind === "skipped" ? setup.reason : null,
      measurement: measurements.get(scenario.id),
      heapBytesPerSession: runner?.heapBytesPerSession ?? null,
    };
  });
}

function describeSettings(options: BenchOptions, environment: BenchEnvironment, simulated: boolean): BenchSettings {
  return {
    date: new Date().toISOString(),
    machine: describeMachine(),
    engine: environment.engineDescription,
    tableName: environment.tableName,
    durationSeconds: options.durationSeconds,
    simulatedDurationSeconds: simulated ? options.simulatedDurationSeconds : null,
    warmupSeconds: options.warmupSeconds,
    rounds: options.rounds,
    concurrency: 1,
    sessions: options.sessions,
    uniformSessions: options.uniformSessions,
    usersPerAdapter: options.users,
    hotSessions: options.hotSessions,
    zipfExponent: options.zipfExponent,
    seed: options.seed,
    heapSampleSessions: options.heapSampleSessions,
    garbageCollection: resolveGarbageCollector().method,
    simulatedDelay: simulated ? options.networkDelay : null,
    readCapacityNote,
  };
}

async function measureBothSets(environment: BenchEnvironment, options: BenchOptions, ready: readonly MeasuredScenario[], progress: Progress) {
  const common = { warmupSeconds: options.warmupSeconds, rounds: options.rounds };
  const network: NetworkKind = environment.kind === "aws" ? "aws" : "loopback";

  environment.delay.localMs = 0;
  environment.delay.remoteMs = 0;
  const measured = await measureSet(ready, { ...common, label: network, durationSeconds: options.durationSeconds }, progress);

  if (options.networkDelay === null) return { network, measured, simulated: undefined };

  environment.delay.localMs = options.networkDelay.localMs;
  environment.delay.remoteMs = options.networkDelay.remoteMs;
  const simulated = await measureSet(ready, { ...common, label: "simulated delay", durationSeconds: options.simulatedDurationSeconds }, progress);
  environment.delay.localMs = 0;
  environment.delay.remoteMs = 0;

  return { network, measured, simulated };
}

async function measureScenarios(environment: BenchEnvironment, options: BenchOptions, seeded: SeededData, progress: Progress, closeTasks: Array<() => Promise<void>>): Promise<BenchResults> {
  const scenarios = createScenarios();
  let heapBytesPerSession: Promise<number | null> | undefined;
  const context: ScenarioContext = {
    environment,
    options,
    seeded,
    progress,
    createRandom: (id) => createRandom(scenarioSeed(options.seed, id)),
    onClose: (task) => closeTasks.push(task),
    defaultCacheHeapBytesPerSession: () => {
      heapBytesPerSession ??= measureDefaultCacheHeap(environment, options, seeded, progress);
      return heapBytesPerSession;
    },
  };
  const setups = await setUpScenarios(scenarios, context);
  const ready = scenarios.flatMap((scenario) => {
    const setup = setups.get(scenario.id);
    return setup?.kind === "ready" ? [{ id: scenario.id, runner: setup.runner }] : [];
  });

  const { network, measured, simulated } = await measureBothSets(environment, options, ready, progress);

  return {
    settings: describeSettings(options, environment, simulated !== undefined),
    scenarios: summarizeSet(collectOutcomes(scenarios, setups, measured), network),
    simulatedScenarios: simulated === undefined ? [] : summarizeSet(collectOutcomes(scenarios, setups, simulated), "simulated"),
  };
}

/** Deletes seeded data when asked, runs the scenarios' close tasks and closes the environment, even after a failure in between. */
async function closeRun(environment: BenchEnvironment, seededToDelete: SeededData | undefined, closeTasks: ReadonlyArray<() => Promise<void>>, progress: Progress): Promise<void> {
  try {
    if (seededToDelete !== undefined) await removeSeededData(environment, seededToDelete, progress);
  } finally {
    const outcomes = await Promise.allSettled(closeTasks.map((task) => task()));
    await environment.close();

    const failure = outcomes.find((outcome) => outcome.status === "rejected");
    if (failure !== undefined) throw failure.reason;
  }
}

function describeOpening(target: BenchTarget): string {
  if (target.kind === "local") return "Starting DynamoDB Local";
  if (target.kind === "local-endpoint") return `Connecting to DynamoDB Local on ${target.endpoint}`;
  return `Connecting to table ${target.tableName} in ${target.region}`;
}

/**
 * Runs the whole benchmark: opens DynamoDB, seeds sessions through both
 * adapters, sets up every scenario, measures the loopback set and then the
 * simulated-delay set, and writes latest.json and latest.svg. With
 * `cleanUp`, the seeded users and their items are deleted at the end, also
 * when the run fails.
 */
export async function runBenchmark(options: BenchOptions, progress: Progress): Promise<BenchRun> {
  progress(describeOpening(options.target));
  const environment = await openEnvironment(options.target);
  const seeded: SeededData = { official: createSeededSessions(), ours: createSeededSessions() };
  const closeTasks: Array<() => Promise<void>> = [];

  try {
    await seedBothAdapters(environment, options, seeded, progress);
    const results = await measureScenarios(environment, options, seeded, progress, closeTasks);

    const written = options.outputDirectory === null ? null : await writeResults(options.outputDirectory, results, renderChart(results));
    return { results, written };
  } finally {
    await closeRun(environment, options.cleanUp ? seeded : undefined, closeTasks, progress);
  }
}
