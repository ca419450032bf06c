import { performance } from "node:perf_hooks";
import { runBenchmark } from "./benchmark.js";
import { helpText, parseBenchArguments } from "./cli.js";
import { renderReport } from "./report.js";

// The command line of `npm run bench`: progress goes to stderr, the report to stdout.
const startedAt = performance.now();
const progress = (line: string) => {
  const elapsedSeconds = ((performance.now() - startedAt) / 1000).toFixed(1).padStart(5);
  process.stderr.write(`[${elapsedSeconds} s] ${line}\n`);
};

let options: ReturnType<typeof parseBenchArguments>;

try {
  options = parseBenchArguments(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${helpText}`);
  process.exit(2);
}

if (options === "help") {
  process.stdout.write(helpText);
  process.exit(0);
}

try {
  const { results, written } = await runBenchmark(options, progress);

  process.stdout.write(`${renderReport(results)}\n`);
  if (written !== null) progress(`Wrote ${written.json} and ${written.svg}`);
} catch (error) {
  // The message comes first on its own line, because for the common failures
  // (Java missing, table not found) it already names the fix. The stack follows for the rest.
  progress(`Benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof Error && error.stack !== undefined) process.stderr.write(`${error.stack.split("\n").slice(1).join("\n")}\n`);
  process.exitCode = 1;
}
