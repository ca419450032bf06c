import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { NetworkDelay } from "./middleware.js";

/** Location of the DynamoDB the benchmark runs against. */
export type BenchTarget =
  /** Start DynamoDB Local on a free loopback port and stop it at the end. */
  | { readonly kind: "local" }
  /** Use a DynamoDB Local that is already running, with the fixed local credentials. */
  | { readonly kind: "local-endpoint"; readonly endpoint: string }
  /** Use an existing table in AWS with the SDK's default credential chain. */
  | { readonly kind: "aws"; readonly endpoint: string | undefined; readonly region: string; readonly tableName: string };

export interface BenchOptions {
  readonly target: BenchTarget;
  /** Measured time per scenario in the loopback set, in seconds, split across `rounds`. */
  readonly durationSeconds: number;
  /** Measured time per scenario in the simulated-delay set, in seconds. */
  readonly simulatedDurationSeconds: number;
  /** Unrecorded look-ups per scenario before each set, in seconds. */
  readonly warmupSeconds: number;
  /** How many slices each scenario's time is cut into; the order of scenarios rotates per slice. */
  readonly rounds: number;
  /** Sessions this adapter seeds; `mixed` draws from all of them. */
  readonly sessions: number;
  /**
   * Sessions that `official` and `cold` draw from uniformly: the official
   * adapter seeds this many, and `cold` uses the first this many of ours.
   * Without a cache the count hardly matters, so it is kept small to save
   * seeding time.
   */
  readonly uniformSessions: number;
  /** Users the seeded sessions belong to, per adapter. */
  readonly users: number;
  /** Distinct tokens that `hot` cycles through. */
  readonly hotSessions: number;
  /** Exponent s of the Zipf distribution in `mixed`. */
  readonly zipfExponent: number;
  /** Seed of the generator that picks tokens. */
  readonly seed: number;
  /** Sessions put into a fresh cache to measure heap bytes per cached session. */
  readonly heapSampleSessions: number;
  /** Simulated delay per request for the second set; `null` skips that set. */
  readonly networkDelay: NetworkDelay | null;
  /** Directory for latest.json and latest.svg; `null` writes nothing. */
  readonly outputDirectory: string | null;
  /** Delete every user the run seeded, and their items, at the end. */
  readonly cleanUp: boolean;
}

export const defaultResultsDirectory = fileURLToPath(new URL("./results/", import.meta.url));

// Sized so that the whole default run, DynamoDB Local start and seeding
// included, stays under two minutes: it took about 100 s on a 2-core AMD
// EPYC virtual machine, a third of it for seeding 10,000 sessions.
export const defaultBenchOptions: BenchOptions = {
  target: { kind: "local" },
  durationSeconds: 4,
  simulatedDurationSeconds: 2,
  warmupSeconds: 1,
  rounds: 4,
  sessions: 10_000,
  uniformSessions: 2_000,
  users: 100,
  hotSessions: 8,
  zipfExponent: 1.1,
  seed: 1,
  heapSampleSessions: 1_000,
  networkDelay: { localMs: 3, remoteMs: 70 },
  outputDirectory: defaultResultsDirectory,
  cleanUp: false,
};

/** Settings of `--quick`: about a second of measuring, for smoke tests. */
export const quickBenchOptions: Partial<BenchOptions> = {
  durationSeconds: 0.2,
  simulatedDurationSeconds: 0.2,
  warmupSeconds: 0.05,
  rounds: 2,
  sessions: 200,
  uniformSessions: 100,
  users: 10,
  heapSampleSessions: 100,
};

export const helpText = `Usage: npm run bench -- [options]

Measures Auth.js session look-ups (getSessionAndUser) of this adapter and of
@auth/dynamodb-adapter on one DynamoDB, and writes bench/results/latest.json
and latest.svg.

Options:
  --duration SECONDS            measured time per scenario, loopback set (default ${defaultBenchOptions.durationSeconds})
  --simulated-duration SECONDS  measured time per scenario, simulated-delay set (default ${defaultBenchOptions.simulatedDurationSeconds})
  --warmup SECONDS              unrecorded look-ups per scenario before each set (default ${defaultBenchOptions.warmupSeconds})
  --rounds N                    slices per scenario, interleaved across scenarios (default ${defaultBenchOptions.rounds})
  --sessions N                  sessions this adapter seeds for the mixed scenario (default ${defaultBenchOptions.sessions})
  --users N                     users the sessions belong to, per adapter (default ${defaultBenchOptions.users})
  --zipf S                      Zipf exponent of the mixed scenario (default ${defaultBenchOptions.zipfExponent})
  --seed N                      seed of the token generator (default ${defaultBenchOptions.seed})
  --network-delay local=MS,remote=MS
                                simulated delay per request in the second set (default local=3,remote=70)
  --no-network-delay            skip the simulated-delay set
  --quick                       about one second of measuring, 200 sessions (for smoke tests)
  --output DIR                  where latest.json and latest.svg go (default bench/results)
  --endpoint URL --region R --table NAME
                                run against an existing table in AWS with the default
                                credential chain; no DynamoDB Local, no simulated delay,
                                no remote-fresh scenario; seeded items are deleted at the end
  --help                        print this text
`;

function parsePositive(name: string, text: string, integer: boolean): number {
  const value = Number(text);
  const valid = Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value));

  if (!valid) throw new Error(`Invalid --${name} ${JSON.stringify(text)}: expected a positive ${integer ? "integer" : "number"}.`);

  return value;
}

/** Parses `local=3,remote=70` into milliseconds. */
export function parseNetworkDelay(text: string): NetworkDelay {
  const delay: NetworkDelay = { localMs: Number.NaN, remoteMs: Number.NaN };

  for (const part of text.split(",")) {
    const [key, value] = part.split("=").map((piece) => piece.trim());
    const ms = Number(value);

    if ((key !== "local" && key !== "remote") || value === undefined || value === "" || !Number.isFinite(ms) || ms < 0) {
      throw new Error(`Invalid --network-delay ${JSON.stringify(text)}: expected local=MS,remote=MS with milliseconds of 0 or more, such as local=3,remote=70.`);
    }

    delay[key === "local" ? "localMs" : "remoteMs"] = ms;
  }

  if (Number.isNaN(delay.localMs) || Number.isNaN(delay.remoteMs)) {
    throw new Error(`Invalid --network-delay ${JSON.stringify(text)}: both local and remote are required, such as local=3,remote=70.`);
  }

  return delay;
}

const argumentSpec = {
  duration: { type: "string" },
  "simulated-duration": { type: "string" },
  warmup: { type: "string" },
  rounds: { type: "string" },
  sessions: { type: "string" },
  users: { type: "string" },
  zipf: { type: "string" },
  seed: { type: "string" },
  "network-delay": { type: "string" },
  "no-network-delay": { type: "boolean" },
  quick: { type: "boolean" },
  output: { type: "string" },
  endpoint: { type: "string" },
  region: { type: "string" },
  table: { type: "string" },
  help: { type: "boolean" },
} as const;

function parseTarget(values: { endpoint?: string | undefined; region?: string | undefined; table?: string | undefined }): BenchTarget {
  const { endpoint, region, table } = values;

  if (endpoint === undefined && region === undefined && table === undefined) return { kind: "local" };

  if (region === undefined || table === undefined) {
    throw new Error("Missing --region or --table: a run against AWS needs both (and optionally --endpoint), such as --region eu-west-1 --table next-auth.");
  }

  return { kind: "aws", endpoint, region, tableName: table };
}

/** Parses command-line arguments; returns `"help"` when `--help` was given. */
export function parseBenchArguments(args: readonly string[]): BenchOptions | "help" {
  const { values } = parseArgs({ args: [...args], options: argumentSpec, strict: true, allowPositionals: false });

  if (values.help === true) return "help";

  const target = parseTarget(values);
  const base = values.quick === true ? { ...defaultBenchOptions, ...quickBenchOptions } : defaultBenchOptions;
  const number = (name: keyof typeof argumentSpec, fallback: number, integer = false) => {
    const text = values[name];
    return typeof text === "string" ? parsePositive(name, text, integer) : fallback;
  };

  if (values["no-network-delay"] === true && values["network-delay"] !== undefined) {
    throw new Error("Conflicting options --network-delay and --no-network-delay: give only one of them.");
  }

  if (target.kind === "aws" && values["network-delay"] !== undefined) {
    throw new Error("Invalid --network-delay with --table: the simulated delay is only for DynamoDB Local, because a run against AWS has the real network.");
  }

  const sessions = number("sessions", base.sessions, true);

  let networkDelay = base.networkDelay;
  if (values["network-delay"] !== undefined) networkDelay = parseNetworkDelay(values["network-delay"]);
  if (values["no-network-delay"] === true || target.kind === "aws") networkDelay = null;

  return {
    target,
    durationSeconds: number("duration", base.durationSeconds),
    simulatedDurationSeconds: number("simulated-duration", base.simulatedDurationSeconds),
    warmupSeconds: number("warmup", base.warmupSeconds),
    rounds: number("rounds", base.rounds, true),
    sessions,
    uniformSessions: Math.min(base.uniformSessions, sessions),
    users: number("users", base.users, true),
    hotSessions: base.hotSessions,
    zipfExponent: number("zipf", base.zipfExponent),
    seed: number("seed", base.seed, true),
    heapSampleSessions: Math.min(base.heapSampleSessions, sessions),
    networkDelay,
    outputDirectory: values.output ?? base.outputDirectory,
    cleanUp: target.kind === "aws",
  };
}
