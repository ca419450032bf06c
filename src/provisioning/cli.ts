import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { AdapterError } from "../errors/index.js";
import { resolveTableOptions } from "../table-options.js";
import { addReplicas } from "./add-replicas.js";
import { buildClientConfig, helpText, parseCliArguments, type CliArguments } from "./cli-arguments.js";
import { createTable } from "./create-table.js";
import { resolveClientRegion } from "./describe.js";
import type { ProvisioningEvent } from "./events.js";
import { validateReplicaRequest } from "./replica-plan.js";
import { formatCommandLine } from "./schema.js";
import { sweepExpired } from "./sweep-expired.js";
import { verifyTable } from "./verify-table.js";

/** Streams and environment of one command-line run. Tests pass their own. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Environment variables that supply the region and credentials. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Clock for sweep-expired, in epoch milliseconds.
   * @default Date.now
   */
  readonly now?: () => number;
}

function describeEvent(event: ProvisioningEvent): string {
  switch (event.type) {
    case "table-creating":
      return `Creating table "${event.tableName}"...`;
    case "table-exists":
      return `Table "${event.tableName}" exists, checking its schema.`;
    case "table-active":
      return `Table "${event.tableName}" is ACTIVE.`;
    case "time-to-live-enabled":
      return `Time to live is on for attribute "${event.attributeName}".`;
    case "stream-enabling":
      return "Turning on the table's stream (NEW_AND_OLD_IMAGES), which global table replication reads...";
    case "replica-skipped":
      return `Region ${event.region} has a replica already, skipped.`;
    case "replicas-creating": {
      const witness = event.witnessRegion === undefined ? "" : ` and witness ${event.witnessRegion}`;
      return `Adding replica ${event.regions.join(", ")}${witness}. This takes minutes, or hours for a large table...`;
    }
    case "replicas-active":
      return `Replica ${event.regions.join(", ")} is ACTIVE.`;
  }
}

const replicaFlagLabels = { regions: "--replicas", consistency: "--consistency", witnessRegion: "--witness-region" } as const;

async function runCreateTable(client: DynamoDBClient, args: CliArguments, io: CliIo): Promise<void> {
  const print = (event: ProvisioningEvent) => io.stdout.write(`${describeEvent(event)}\n`);
  const strong = args.consistency === "strong";
  const names = resolveTableOptions(args.table);
  const homeRegion = (await resolveClientRegion(client)) ?? "";

  // Replica flags are checked before the table is created, so a typo fails before any change.
  if (args.replicas.length > 0 || args.witnessRegion !== undefined) {
    const replicaOptions = { regions: args.replicas, consistency: args.consistency, witnessRegion: args.witnessRegion };
    validateReplicaRequest(replicaOptions, names.tableName, homeRegion, replicaFlagLabels);
  }

  const created = await createTable(client, {
    ...args.table,
    ...(args.ttlAttribute === undefined ? {} : { ttlAttribute: args.ttlAttribute }),
    timeToLive: !strong,
    onProgress: print,
  });
  io.stdout.write(created.created ? `Created table "${created.tableName}".\n` : `Kept table "${created.tableName}", whose schema fits.\n`);

  if (args.replicas.length > 0) {
    const witness = args.witnessRegion === undefined ? {} : { witnessRegion: args.witnessRegion };
    const added = await addReplicas(client, { tableName: names.tableName, regions: args.replicas, consistency: args.consistency, ...witness, onProgress: print });
    const regions = [...new Set([homeRegion, ...args.replicas])].join(", ");
    io.stdout.write(`Global table "${added.tableName}" (${added.consistency} consistency) has replicas in ${regions}.\n`);
  }

  if (strong) {
    io.stdout.write(
      "Time to live stays off, because multi-Region strong consistency tables do not support it. " +
        `Run \`${formatCommandLine("sweep-expired", names)}\` on a schedule to delete expired sessions.\n`,
    );
  }
}

async function runVerifyTable(client: DynamoDBClient, args: CliArguments, io: CliIo): Promise<void> {
  const names = resolveTableOptions(args.table);
  await verifyTable(client, args.table);

  io.stdout.write(
    `Table "${names.tableName}" fits the adapter: partition key ${names.partitionKey}, sort key ${names.sortKey}, ` +
      `index ${names.indexName} (${names.indexPartitionKey}, ${names.indexSortKey}) projecting ALL.\n`,
  );
}

async function runSweepExpired(client: DynamoDBClient, args: CliArguments, io: CliIo): Promise<void> {
  const documentClient = DynamoDBDocumentClient.from(client);
  const result = await sweepExpired(documentClient, {
    ...args.table,
    ...(args.ttlAttribute === undefined ? {} : { ttlAttribute: args.ttlAttribute }),
    ...(io.now === undefined ? {} : { now: io.now }),
    dryRun: args.dryRun,
  });

  if (args.dryRun) {
    io.stdout.write(`Dry run: scanned ${result.scannedItems} items, ${result.expiredItems} expired; nothing was deleted.\n`);
    return;
  }
  io.stdout.write(
    `Scanned ${result.scannedItems} items: ${result.expiredItems} expired, ${result.deletedItems} deleted, ` +
      `${result.changedItems} kept because they changed after the scan.\n`,
  );
}

function formatError(error: unknown): string {
  if (error instanceof AdapterError) return error.message;

  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) {
    return `${(error as Error).message.split(". ")[0]}. Run \`authjs-dynamodb-global --help\` for usage.`;
  }

  // DynamoDB's own errors carry $metadata, and their name and message describe the failure, so no stack is printed.
  if (error instanceof Error && "$metadata" in error) return `DynamoDB returned ${error.name}: ${error.message}`;

  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/**
 * Runs the `authjs-dynamodb-global` command line with `argv` (the arguments
 * after the program name). Prints progress and results on `io.stdout`, errors
 * on `io.stderr` as one line (a stack only for unexpected errors), and
 * returns the exit code: 0 on success, 1 on any error.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let client: DynamoDBClient | undefined;

  if (argv.length === 0) {
    io.stderr.write(helpText);
    return 1;
  }

  try {
    const args = parseCliArguments(argv);
    if (args.help || args.command === undefined) {
      io.stdout.write(helpText);
      return 0;
    }

    client = new DynamoDBClient(buildClientConfig(args, io.env));
    if (args.command === "create-table") await runCreateTable(client, args, io);
    else if (args.command === "verify-table") await runVerifyTable(client, args, io);
    else await runSweepExpired(client, args, io);

    return 0;
  } catch (error) {
    io.stderr.write(`Error: ${formatError(error)}\n`);
    return 1;
  } finally {
    client?.destroy();
  }
}
