import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runBenchmark, type BenchRun } from "../bench/benchmark.js";
import { parseBenchArguments, parseNetworkDelay, type BenchOptions } from "../bench/cli.js";
import { localPrimaryRegion } from "../bench/environment.js";
import { createRandom, createZipfSampler } from "../bench/random.js";
import type { ScenarioResult } from "../bench/results.js";
import { scenarioIds } from "../bench/scenarios/index.js";
import { localClient } from "./support/tables.js";

const singleRegionIds = ["official", "cold", "hot", "mixed"];
const cacheIds = ["hot", "mixed"];

function quickOptions(outputDirectory: string): BenchOptions {
  const parsed = parseBenchArguments(["--quick", "--output", outputDirectory]);
  if (parsed === "help") throw new Error("--quick parsed as --help");

  // Reuses the run's DynamoDB Local and deletes what it seeded, so the cleanup path runs too.
  return { ...parsed, target: { kind: "local-endpoint", endpoint: inject("dynamoEndpoint") }, cleanUp: true };
}

function expectPositiveFinite(value: number | null, label: string): void {
  expect(value, label).not.toBeNull();
  expect(Number.isFinite(value), label).toBe(true);
  expect(value as number, label).toBeGreaterThan(0);
}

function expectShare(value: number | null, label: string): void {
  expect(value, label).not.toBeNull();
  expect(value as number, label).toBeGreaterThanOrEqual(0);
  expect(value as number, label).toBeLessThanOrEqual(1);
}

function expectSaneResult(result: ScenarioResult): void {
  const label = `${result.network} ${result.id}`;

  expect(result.skipped, label).toBeNull();
  expect(result.lookups, label).toBeGreaterThan(0);
  for (const key of ["p50Ms", "p95Ms", "p99Ms", "lookupsPerSecond", "ratioP50VsOfficial", "ratioP99VsOfficial"] as const) expectPositiveFinite(result[key], `${label} ${key}`);
  expect(result.p50Ms as number, label).toBeLessThanOrEqual(result.p95Ms as number);
  expect(result.p95Ms as number, label).toBeLessThanOrEqual(result.p99Ms as number);
  expect(result.requestsPerLookup as number, `${label} requestsPerLookup`).toBeGreaterThanOrEqual(0);
  expect(Number.isFinite(result.readCapacityPerLookup), `${label} readCapacityPerLookup`).toBe(true);
  expectShare(result.foundShare, `${label} foundShare`);

  if (cacheIds.includes(result.id)) {
    expectShare(result.hitRatio, `${label} hitRatio`);
    expectPositiveFinite(result.heapBytesPerSession, `${label} heapBytesPerSession`);
  } else {
    expect(result.hitRatio, label).toBeNull();
    expect(result.heapBytesPerSession, label).toBeNull();
  }
}

describe("bench --quick", () => {
  let outputDirectory: string;
  let run: BenchRun;

  beforeAll(async () => {
    outputDirectory = await mkdtemp(join(tmpdir(), "bench-smoke-"));
    run = await runBenchmark(quickOptions(outputDirectory), () => {});
  }, 120_000);

  afterAll(async () => {
    await rm(outputDirectory, { recursive: true, force: true });
  });

  it("reports every scenario in both sets", () => {
    expect(run.results.scenarios.map((result) => result.id)).toEqual([...scenarioIds]);
    expect(run.results.simulatedScenarios.map((result) => result.id)).toEqual([...scenarioIds]);
    expect(run.results.scenarios.every((result) => result.network === "loopback")).toBe(true);
    expect(run.results.simulatedScenarios.every((result) => result.network === "simulated")).toBe(true);
  });

  it("reports finite positive figures", () => {
    for (const result of [...run.results.scenarios, ...run.results.simulatedScenarios]) expectSaneResult(result);
  });

  it("finds seeded sessions in one region", () => {
    for (const result of [...run.results.scenarios, ...run.results.simulatedScenarios]) {
      if (singleRegionIds.includes(result.id)) expect(result.foundShare, `${result.network} ${result.id}`).toBe(1);
    }
  });

  it("finds fresh remote sessions only in ours", () => {
    const byId = new Map(run.results.scenarios.map((result) => [result.id, result]));

    // Replication is paused, so only a fallback read to the home region can find the session.
    expect(byId.get("remote-fresh-official")?.foundShare).toBe(0);
    expect(byId.get("remote-fresh")?.foundShare).toBe(1);
  });

  it("records the official ratio as one", () => {
    const official = run.results.scenarios.find((result) => result.id === "official");

    expect(official?.ratioP50VsOfficial).toBe(1);
    expect(official?.ratioP99VsOfficial).toBe(1);
  });

  it("describes machine and settings", () => {
    const { settings } = run.results;

    expect(settings.machine.cpuCount).toBeGreaterThan(0);
    expect(settings.machine.node).toBe(process.version);
    expect(Number.isNaN(Date.parse(settings.date))).toBe(false);
    expect(settings.simulatedDelay).toEqual({ localMs: 3, remoteMs: 70 });
  });

  it("writes latest.json equal to the results", async () => {
    expect(run.written?.json).toBe(join(outputDirectory, "latest.json"));

    const written = JSON.parse(await readFile(join(outputDirectory, "latest.json"), "utf8")) as unknown;
    expect(written).toEqual(JSON.parse(JSON.stringify(run.results)));
  });

  it("writes an SVG chart with every scenario", async () => {
    const svg = await readFile(join(outputDirectory, "latest.svg"), "utf8");

    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    for (const id of scenarioIds) expect(svg).toContain(`>${id}</text>`);
    for (const label of ["p50", "p95", "p99", "SIMULATED"]) expect(svg).toContain(label);
  });

  it("deletes what it seeded", async () => {
    const client = localClient(localPrimaryRegion);
    const output = await client.send(new ScanCommand({ TableName: run.results.settings.tableName, ConsistentRead: true }));
    client.destroy();

    expect(output.Items).toEqual([]);
  });
});

describe("bench arguments", () => {
  it("parses a network delay", () => {
    expect(parseNetworkDelay("local=2.5,remote=80")).toEqual({ localMs: 2.5, remoteMs: 80 });
  });

  it("rejects a delay without remote", () => {
    expect(() => parseNetworkDelay("local=3")).toThrow("Invalid --network-delay \"local=3\": both local and remote are required, such as local=3,remote=70.");
  });

  it("turns the simulated set off", () => {
    const options = parseBenchArguments(["--no-network-delay"]);
    expect(options === "help" ? undefined : options.networkDelay).toBeNull();
  });

  it("needs region and table for AWS", () => {
    expect(() => parseBenchArguments(["--endpoint", "https://dynamodb.eu-west-1.amazonaws.com"])).toThrow(
      "Missing --region or --table: a run against AWS needs both (and optionally --endpoint), such as --region eu-west-1 --table next-auth.",
    );
  });

  it("targets AWS without simulated delay", () => {
    const options = parseBenchArguments(["--region", "eu-west-1", "--table", "next-auth"]);
    if (options === "help") throw new Error("parsed as --help");

    expect(options.target).toEqual({ kind: "aws", endpoint: undefined, region: "eu-west-1", tableName: "next-auth" });
    expect(options.networkDelay).toBeNull();
    expect(options.cleanUp).toBe(true);
  });

  it("rejects a non-numeric duration", () => {
    expect(() => parseBenchArguments(["--duration", "soon"])).toThrow("Invalid --duration \"soon\": expected a positive number.");
  });
});

describe("bench Zipf sampler", () => {
  it("repeats draws for one seed", () => {
    const first = createZipfSampler(1_000, 1.1, createRandom(7));
    const second = createZipfSampler(1_000, 1.1, createRandom(7));
    const draws = (sample: () => number) => Array.from({ length: 50 }, sample);

    expect(draws(first)).toEqual(draws(second));
  });

  it("draws low ranks most often", () => {
    const sample = createZipfSampler(1_000, 1.1, createRandom(3));
    const counts = new Array<number>(1_000).fill(0);
    for (let index = 0; index < 20_000; index += 1) {
      const rank = sample();
      counts[rank] = (counts[rank] ?? 0) + 1;
    }

    // Rank 0 has probability 1 / sum(k^-1.1, k = 1..1000), about 0.18; rank 9 about 0.014.
    expect(counts[0] as number).toBeGreaterThan(3_000);
    expect(counts[0] as number).toBeGreaterThan((counts[9] as number) * 5);
  });
});
