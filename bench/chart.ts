import { formatMs } from "./report.js";
import type { BenchResults, ScenarioResult } from "./results.js";

/** One panel of the chart: a titled set of scenarios. */
interface Panel {
  readonly title: string;
  readonly results: readonly ScenarioResult[];
}

const percentiles = [
  { key: "p50Ms", label: "p50", color: "#4c78a8" },
  { key: "p95Ms", label: "p95", color: "#f58518" },
  { key: "p99Ms", label: "p99", color: "#e45756" },
] as const;

const width = 960;
const panelHeight = 320;
const margin = { left: 72, right: 24, top: 44, bottom: 56 };
const legendHeight = 36;
const headerHeight = 40;

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * Decade bounds around every value, so the log axis has whole powers of ten
 * at both ends. The lower bound lies strictly below the smallest value, so
 * even the shortest bar has a visible height.
 */
function logDomain(values: readonly number[]): { readonly low: number; readonly high: number } {
  const positive = values.filter((value) => value > 0);
  if (positive.length === 0) return { low: 0.001, high: 1 };

  const low = Math.pow(10, Math.ceil(Math.log10(Math.min(...positive))) - 1);
  const high = Math.pow(10, Math.ceil(Math.log10(Math.max(...positive))));

  return { low, high: high > low ? high : low * 10 };
}

/** Labels a power of ten without trailing zeros: 0.001, 1, 1000. */
function formatTick(tick: number): string {
  return Number(tick.toPrecision(1)).toString();
}

/** Returns the second label under a group: what the bars alone would hide. */
function describeGroup(result: ScenarioResult): string {
  if (result.hitRatio !== null) return `hits ${(result.hitRatio * 100).toFixed(0)}%`;
  if (result.id.startsWith("remote-fresh") && result.foundShare !== null) return `found ${(result.foundShare * 100).toFixed(0)}%`;
  return "";
}

function renderAxis(top: number, plotHeight: number, domain: { low: number; high: number }, toY: (value: number) => number): string[] {
  const parts: string[] = [];

  for (let tick = domain.low; tick <= domain.high * 1.0001; tick *= 10) {
    const y = toY(tick).toFixed(1);
    parts.push(`<line x1="${margin.left}" y1="${y}" x2="${width - margin.right}" y2="${y}" stroke="#ddd"/>`);
    parts.push(`<text x="${margin.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle" font-size="11">${formatTick(tick)}</text>`);
  }

  const middle = top + plotHeight / 2;
  parts.push(`<text x="18" y="${middle}" transform="rotate(-90 18 ${middle})" text-anchor="middle" font-size="12">latency, ms (log scale)</text>`);

  return parts;
}

function renderGroup(result: ScenarioResult, x: number, groupWidth: number, baseline: number, toY: (value: number) => number): string[] {
  const parts: string[] = [];
  const barWidth = (groupWidth * 0.8) / percentiles.length;
  const left = x + groupWidth * 0.1;

  const center = (x + groupWidth / 2).toFixed(1);
  parts.push(`<text x="${center}" y="${baseline + 18}" text-anchor="middle" font-size="12">${escapeXml(result.id)}</text>`);
  parts.push(`<text x="${center}" y="${baseline + 33}" text-anchor="middle" font-size="11" fill="#555">${escapeXml(describeGroup(result))}</text>`);

  if (result.skipped !== null || result.p50Ms === null) {
    parts.push(`<text x="${center}" y="${baseline - 12}" text-anchor="middle" font-size="11" fill="#777">not run</text>`);
    return parts;
  }

  percentiles.forEach((percentile, index) => {
    const value = result[percentile.key];
    if (value === null) return;

    const barX = left + index * barWidth;
    const y = toY(value);
    parts.push(`<rect x="${barX.toFixed(1)}" y="${y.toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${Math.max(0, baseline - y).toFixed(1)}" fill="${percentile.color}"><title>${escapeXml(`${result.id} ${percentile.label}: ${formatMs(value)} ms`)}</title></rect>`);
    parts.push(`<text x="${(barX + barWidth / 2 - 1).toFixed(1)}" y="${(y - 4).toFixed(1)}" text-anchor="middle" font-size="9">${escapeXml(formatMs(value))}</text>`);
  });

  return parts;
}

function renderPanel(panel: Panel, top: number, domain: { low: number; high: number }): string[] {
  const plotTop = top + margin.top;
  const plotHeight = panelHeight - margin.top - margin.bottom;
  const baseline = plotTop + plotHeight;
  const span = Math.log10(domain.high) - Math.log10(domain.low);
  const toY = (value: number) => baseline - ((Math.log10(Math.max(value, domain.low)) - Math.log10(domain.low)) / span) * plotHeight;
  const groupWidth = (width - margin.left - margin.right) / Math.max(1, panel.results.length);

  const parts = [`<text x="${margin.left}" y="${top + 24}" font-size="14" font-weight="bold">${escapeXml(panel.title)}</text>`];
  parts.push(...renderAxis(plotTop, plotHeight, domain, toY));
  parts.push(`<line x1="${margin.left}" y1="${baseline}" x2="${width - margin.right}" y2="${baseline}" stroke="#333"/>`);
  panel.results.forEach((result, index) => parts.push(...renderGroup(result, margin.left + index * groupWidth, groupWidth, baseline, toY)));

  return parts;
}

function renderLegend(top: number): string[] {
  return percentiles.flatMap((percentile, index) => {
    const x = margin.left + index * 90;
    return [
      `<rect x="${x}" y="${top + 10}" width="14" height="14" fill="${percentile.color}"/>`,
      `<text x="${x + 20}" y="${top + 21}" font-size="12">${percentile.label}</text>`,
    ];
  });
}

/**
 * Renders p50, p95 and p99 per scenario as grouped bars on a shared log
 * scale, one panel per set (loopback, then simulated delay), as SVG text.
 */
export function renderChart(results: BenchResults): string {
  const panels: Panel[] = [{ title: results.scenarios[0]?.network === "aws" ? "Measured against AWS" : "Measured: DynamoDB Local on loopback, no added delay", results: results.scenarios }];

  if (results.settings.simulatedDelay !== null && results.simulatedScenarios.length > 0) {
    const { localMs, remoteMs } = results.settings.simulatedDelay;
    panels.push({ title: `SIMULATED delay: +${localMs} ms per request in region, +${remoteMs} ms across regions`, results: results.simulatedScenarios });
  }

  const values = panels.flatMap((panel) => panel.results.flatMap((result) => percentiles.map((percentile) => result[percentile.key] ?? 0)));
  const domain = logDomain(values);
  const height = headerHeight + legendHeight + panels.length * panelHeight;
  const { machine } = results.settings;

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${margin.left}" y="22" font-size="16" font-weight="bold">getSessionAndUser latency per scenario</text>`,
    `<text x="${margin.left}" y="38" font-size="11" fill="#555">${escapeXml(`${results.settings.date}, ${machine.cpuModel} x${machine.cpuCount}, Node ${machine.node}; lower is better`)}</text>`,
    ...renderLegend(headerHeight),
    ...panels.flatMap((panel, index) => renderPanel(panel, headerHeight + legendHeight + index * panelHeight, domain)),
    "</svg>",
    "",
  ];

  return parts.join("\n");
}
