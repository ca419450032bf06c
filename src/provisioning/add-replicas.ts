import { UpdateTableCommand, type DynamoDBClient, type UpdateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { InvalidOptionError, TableSchemaError } from "../errors/index.js";
import { defaultTableOptions, resolveTableOptions } from "../table-options.js";
import { describeTableIfExists, resolveClientRegion } from "./describe.js";
import { ignoreProgress, type ProgressListener } from "./events.js";
import { rejectUnknownOptions, resolveFunction } from "./option-validation.js";
import { planReplicaUpdates, validateReplicaRequest, type GlobalTableConsistency } from "./replica-plan.js";
import { formatCommandLine } from "./schema.js";
import { resolveWaitOptions, waitOptionKeys, waitUntilTableActive, type ResolvedWaitOptions, type WaitOptions } from "./wait.js";

/** Options of {@link addReplicas}. */
export interface AddReplicasOptions extends WaitOptions {
  /**
   * Name of the table to replicate. It must exist in the client's region.
   * @default "next-auth"
   */
  readonly tableName?: string;
  /**
   * Regions that get a replica, such as `["eu-west-1", "ap-northeast-1"]`.
   * The client's own region may be listed and is skipped, like every region
   * that has a replica already.
   */
  readonly regions: readonly string[];
  /**
   * Consistency mode of the global table. `"eventual"` (MREC) replicates
   * writes asynchronously, typically within a second. `"strong"` (MRSC) needs
   * exactly three regions, or two plus `witnessRegion`, an empty table and no
   * time to live, and makes every write wait for another region.
   * @default "eventual"
   */
  readonly consistency?: GlobalTableConsistency;
  /**
   * Region that stores a witness instead of a third replica, for strong
   * consistency only. A witness serves no reads or writes.
   * @default undefined (no witness)
   */
  readonly witnessRegion?: string;
  /**
   * Receives progress events, for example to print them.
   * @default a listener that drops every event
   */
  readonly onProgress?: ProgressListener;
}

/** Outcome of {@link addReplicas}. */
export interface AddReplicasResult {
  readonly tableName: string;
  readonly consistency: GlobalTableConsistency;
  /** Regions that got a new replica, in the order they were added. */
  readonly addedRegions: readonly string[];
  /** Requested regions that had a replica already. */
  readonly skippedRegions: readonly string[];
}

const addReplicasOptionKeys: readonly string[] = ["tableName", "regions", "consistency", "witnessRegion", "onProgress", ...waitOptionKeys];

// Replica creation copies the whole table. The CloudFormation reference for
// AWS::DynamoDB::GlobalTable puts it at minutes for an empty table and up to
// several hours for a large one.
const defaultReplicaWaitSeconds = 3600;

async function resolveHomeRegion(client: DynamoDBClient): Promise<string> {
  const region = await resolveClientRegion(client);
  if (region !== undefined) return region;

  throw new InvalidOptionError("client", client, "a DynamoDBClient with a region, because replicas are added from the table's own region");
}

function regionsOf(update: UpdateTableCommandInput): string[] {
  return (update.ReplicaUpdates ?? []).flatMap((replicaUpdate) => (replicaUpdate.Create === undefined ? [] : [replicaUpdate.Create.RegionName ?? ""]));
}

async function sendAndWait(client: DynamoDBClient, update: UpdateTableCommandInput, tableName: string, wait: ResolvedWaitOptions): Promise<void> {
  await client.send(new UpdateTableCommand(update));
  await waitUntilTableActive(client, tableName, wait);
}

/**
 * Adds replica regions to a table, which makes it a global table. Waits
 * until the table and all its replicas are ACTIVE before the first request
 * and after each one, because DynamoDB rejects an UpdateTable while the
 * previous one is in progress. Options are validated before any request.
 *
 * Throws `TableSchemaError` when the table does not exist, when its
 * consistency mode differs from `consistency`, or when a replica fails.
 * DynamoDB Local does not support replicas.
 */
export async function addReplicas(client: DynamoDBClient, options: AddReplicasOptions): Promise<AddReplicasResult> {
  rejectUnknownOptions(options, addReplicasOptionKeys, "addReplicas");
  const { tableName } = resolveTableOptions({ tableName: options.tableName ?? defaultTableOptions.tableName });
  const wait = resolveWaitOptions(options, defaultReplicaWaitSeconds);
  const onProgress = resolveFunction<ProgressListener>("onProgress", options.onProgress, ignoreProgress);
  const homeRegion = await resolveHomeRegion(client);
  const request = validateReplicaRequest(options, tableName, homeRegion);

  if ((await describeTableIfExists(client, tableName)) === undefined) {
    const command = formatCommandLine("create-table", { ...defaultTableOptions, tableName }, homeRegion);
    throw new TableSchemaError(tableName, `not found in region ${homeRegion}. Run \`${command}\` first.`);
  }

  const table = await waitUntilTableActive(client, tableName, wait);
  const plan = planReplicaUpdates(table, request, homeRegion);
  for (const region of plan.skippedRegions) onProgress({ type: "replica-skipped", tableName, region });

  if (plan.streamUpdate !== undefined) {
    onProgress({ type: "stream-enabling", tableName });
    await sendAndWait(client, plan.streamUpdate, tableName, wait);
  }

  const addedRegions: string[] = [];
  for (const update of plan.replicaUpdates) {
    const regions = regionsOf(update);
    onProgress({ type: "replicas-creating", tableName, regions, witnessRegion: update.GlobalTableWitnessUpdates?.[0]?.Create?.RegionName });

    await sendAndWait(client, update, tableName, wait);
    addedRegions.push(...regions);
    onProgress({ type: "replicas-active", tableName, regions });
  }

  return { tableName, consistency: request.consistency, addedRegions, skippedRegions: plan.skippedRegions };
}
