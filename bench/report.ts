import type { BenchResults, ScenarioResult } from "./results.js";

interface Column {
  readonly header: string;
  readonly align: "left" | "right";
  readonly value: (result: ScenarioResult) => string;
}

/** Formats milliseconds with about three significant digits. */
export function formatMs(value: number | null): string {
  if (value === null) return "-";
  // Four decimals below 0.01 ms, so a cache hit of 1.5 µs shows as 0.0015 rather than 0.002.
  if (value < 0.01) return value.toFixed(4);
  if (value < 0.1) return value.toFixed(3);
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  return value.toFixed(0);
}

function formatNumber(value: number | null, digits: number): string {
  return value === null ? "-" : value.toFixed(digits);
}

function formatShare(value: number | null): string {
  return value === null ? "-" : `${(value * 100).toFixed(1)}%`;
}

function formatRatio(value: number | null): string {
  if (value === null) return "-";
  return `${value < 1 ? value.toPrecision(2) : value.toFixed(2)}x`;
}

function formatCount(value: number | null): string {
  return value === null ? "-" : Math.round(value).toLocaleString("en-US");
}

const columns: readonly Column[] = [
  { header: "scenario", align: "left", value: (result) => result.id },
  { header: "look-ups", align: "right", value: (result) => formatCount(result.lookups) },
  { header: "p50 ms", align: "right", value: (result) => formatMs(result.p50Ms) },
  { header: "p95 ms", align: "right", value: (result) => formatMs(result.p95Ms) },
  { header: "p99 ms", align: "right", value: (result) => formatMs(result.p99Ms) },
  { header: "look-ups/s", align: "right", value: (result) => formatCount(result.lookupsPerSecond) },
  { header: "req/look-up", align: "right", value: (result) => formatNumber(result.requestsPerLookup, 2) },
  { header: "RCU/look-up", align: "right", value: (result) => formatNumber(result.readCapacityPerLookup, 2) },
  { header: "p50/official", align: "right", value: (result) => formatRatio(result.ratioP50VsOfficial) },
  { header: "p99/official", align: "right", value: (result) => formatRatio(result.ratioP99VsOfficial) },
  { header: "found", align: "right", value: (result) => formatShare(result.foundShare) },
  { header: "hit ratio", align: "right", value: (result) => formatShare(result.hitRatio) },
  { header: "heap B/session", align: "right", value: (result) => formatCount(result.heapBytesPerSession) },
];

/** Renders one set of results as a fixed-width table; a skipped scenario gets one line with the reason. */
export function renderTable(results: readonly ScenarioResult[]): string {
  const cells = results.map((result) => columns.map((column) => column.value(result)));
  const widths = columns.map((column, index) => Math.max(column.header.length, ...cells.map((row) => (row[index] ?? "").length)));
  const pad = (text: string, index: number) => {
    const width = widths[index] ?? text.length;
    return columns[index]?.align === "left" ? text.padEnd(width) : text.padStart(width);
  };

  const lines = [columns.map((column, index) => pad(column.header, index)).join("  ")];
  lines.push(widths.map((width) => "-".repeat(width)).join("  "));

  results.forEach((result, index) => {
    const row = cells[index] ?? [];
    lines.push(result.skipped === null ? row.map(pad).join("  ") : `${pad(result.id, 0)}  skipped: ${result.skipped}`);
  });

  return lines.join("\n");
}

/** Renders the whole report for stdout: settings, both sets, and how to read them. */
export function renderReport(results: BenchResults): string {
  const { settings } = results;
  const sections = [
    `Session look-up benchmark, ${settings.date}`,
    `Machine: ${settings.machine.cpuModel} x${settings.machine.cpuCount}, ${settings.machine.os}, Node ${settings.machine.node}`,
    `Engine: ${settings.engine}`,
    `official and cold: ${settings.uniformSessions} sessions drawn uniformly; mixed: ${settings.sessions} sessions, Zipf s=${settings.zipfExponent}; look-ups one at a time, ${settings.rounds} interleaved rounds`,
    "",
    `Measured (${results.scenarios[0]?.network === "aws" ? "real network to AWS" : "DynamoDB Local on loopback, no added delay"}), ${settings.durationSeconds} s per scenario:`,
    renderTable(results.scenarios),
  ];

  if (settings.simulatedDelay !== null && results.simulatedScenarios.length > 0) {
    const { localMs, remoteMs } = settings.simulatedDelay;
    sections.push(
      "",
      `SIMULATED network delay (+${localMs} ms per request in region, +${remoteMs} ms per request across regions, added by SDK middleware; not measured on AWS), ${settings.simulatedDurationSeconds} s per scenario:`,
      renderTable(results.simulatedScenarios),
    );
  }

  sections.push("", `Read capacity: ${settings.readCapacityNote}`, "Ratios below 1x are faster than official. Hit ratio = share of look-ups that sent no DynamoDB request.");

  return sections.join("\n");
}
