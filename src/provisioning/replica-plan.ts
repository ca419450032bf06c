import type { TableDescription, UpdateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { InvalidOptionError, TableSchemaError } from "../errors/index.js";

/**
 * Consistency mode of a global table: multi-Region eventual consistency
 * (MREC), or multi-Region strong consistency (MRSC).
 */
export type GlobalTableConsistency = "eventual" | "strong";

/** A validated request to add replicas, before any DynamoDB request. */
export interface ReplicaRequest {
  readonly tableName: string;
  /** Distinct regions in the order given, without the region the client sends to. */
  readonly regions: readonly string[];
  readonly consistency: GlobalTableConsistency;
  readonly witnessRegion: string | undefined;
}

/** The UpdateTable requests that turn a table into the requested global table, in the order to send them. */
export interface ReplicaPlan {
  /** Requested regions that already have a replica. */
  readonly skippedRegions: readonly string[];
  /** Request that turns on the stream MREC replication reads, or undefined when the stream is on already. */
  readonly streamUpdate: UpdateTableCommandInput | undefined;
  /** One request per region for eventual consistency, a single request for strong consistency. */
  readonly replicaUpdates: readonly UpdateTableCommandInput[];
}

// AWS region names, such as us-east-1, eu-central-2 or us-gov-west-1.
const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d+$/;

function validateRegionName(option: string, value: unknown): string {
  if (typeof value !== "string" || !regionPattern.test(value)) {
    throw new InvalidOptionError(option, value, "an AWS region name such as `eu-west-1`");
  }
  return value;
}

function validateConsistency(value: unknown, labels: ReplicaOptionLabels): GlobalTableConsistency {
  if (value === undefined) return "eventual";
  if (value === "eventual" || value === "strong") return value;

  throw new InvalidOptionError(labels.consistency, value, '"eventual" or "strong"');
}

function validateStrongRegionCount(regions: readonly string[], witnessRegion: string | undefined, homeRegion: string, labels: ReplicaOptionLabels): void {
  const expectedCount = witnessRegion === undefined ? 2 : 1;
  if (regions.length === expectedCount) return;

  throw new InvalidOptionError(
    labels.regions,
    regions,
    witnessRegion === undefined
      ? `exactly 2 regions besides the table's region ${homeRegion}, because a multi-Region strong consistency table has exactly three replicas (or two replicas and a ${labels.witnessRegion})`
      : `exactly 1 region besides the table's region ${homeRegion}, because a multi-Region strong consistency table with a witness has exactly two replicas`,
  );
}

/** Names that errors use for the replica options. The command line passes its flag names. */
export interface ReplicaOptionLabels {
  readonly regions: string;
  readonly consistency: string;
  readonly witnessRegion: string;
}

const optionLabels: ReplicaOptionLabels = { regions: "regions", consistency: "consistency", witnessRegion: "witnessRegion" };

/**
 * Validates the replica options, without any request. `homeRegion` is the
 * region the client sends to. The table exists there already, so it is
 * dropped from `regions`.
 */
export function validateReplicaRequest(
  options: { readonly regions?: unknown; readonly consistency?: unknown; readonly witnessRegion?: unknown },
  tableName: string,
  homeRegion: string,
  labels: ReplicaOptionLabels = optionLabels,
): ReplicaRequest {
  if (!Array.isArray(options.regions) || options.regions.length === 0) {
    throw new InvalidOptionError(labels.regions, options.regions, "a non-empty array of AWS region names");
  }

  const requested = options.regions.map((region, position) => validateRegionName(`${labels.regions}[${position}]`, region));
  const regions = [...new Set(requested)].filter((region) => region !== homeRegion);
  const consistency = validateConsistency(options.consistency, labels);
  const witnessRegion = options.witnessRegion === undefined ? undefined : validateRegionName(labels.witnessRegion, options.witnessRegion);

  if (witnessRegion !== undefined && consistency !== "strong") {
    throw new InvalidOptionError(
      labels.witnessRegion,
      witnessRegion,
      `left out unless ${labels.consistency} is "strong", because only multi-Region strong consistency tables have a witness`,
    );
  }
  if (witnessRegion !== undefined && (witnessRegion === homeRegion || regions.includes(witnessRegion))) {
    throw new InvalidOptionError(labels.witnessRegion, witnessRegion, "a region without a replica of the table");
  }
  if (consistency === "strong") validateStrongRegionCount(regions, witnessRegion, homeRegion, labels);

  return { tableName, regions, consistency, witnessRegion };
}

function existingReplicaRegions(table: TableDescription, homeRegion: string): string[] {
  const regions = (table.Replicas ?? []).flatMap((replica) => (replica.RegionName === undefined ? [] : [replica.RegionName]));
  return regions.filter((region) => region !== homeRegion);
}

function planStreamUpdate(table: TableDescription, tableName: string): UpdateTableCommandInput | undefined {
  const stream = table.StreamSpecification;
  if (stream?.StreamEnabled !== true) {
    return { TableName: tableName, StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" } };
  }
  if (stream.StreamViewType === "NEW_AND_OLD_IMAGES") return undefined;

  throw new TableSchemaError(
    tableName,
    `has a stream with view type ${stream.StreamViewType}, but global table replication needs NEW_AND_OLD_IMAGES. ` +
      "Turn the stream off with UpdateTable (StreamSpecification.StreamEnabled false) and run this again.",
  );
}

function planEventual(table: TableDescription, request: ReplicaRequest, existing: readonly string[]): ReplicaPlan {
  if (table.MultiRegionConsistency === "STRONG") {
    throw new TableSchemaError(
      request.tableName,
      'is a multi-Region strong consistency global table, and DynamoDB cannot change the consistency mode of a global table. Pass consistency "strong", or use another table.',
    );
  }

  const missing = request.regions.filter((region) => !existing.includes(region));
  const replicaUpdates = missing.map((region) => ({ TableName: request.tableName, ReplicaUpdates: [{ Create: { RegionName: region } }] }));

  return {
    skippedRegions: request.regions.filter((region) => existing.includes(region)),
    streamUpdate: missing.length === 0 ? undefined : planStreamUpdate(table, request.tableName),
    replicaUpdates,
  };
}

function planStrong(table: TableDescription, request: ReplicaRequest, existing: readonly string[]): ReplicaPlan {
  const witnesses = (table.GlobalTableWitnesses ?? []).map((witness) => witness.RegionName);
  const complete =
    table.MultiRegionConsistency === "STRONG" &&
    request.regions.every((region) => existing.includes(region)) &&
    (request.witnessRegion === undefined || witnesses.includes(request.witnessRegion));

  if (complete) return { skippedRegions: request.regions, streamUpdate: undefined, replicaUpdates: [] };

  if (existing.length > 0) {
    const mode = table.MultiRegionConsistency === "STRONG" ? "strong" : "eventual";
    throw new TableSchemaError(
      request.tableName,
      `is already a global table with ${mode} consistency and replicas in ${existing.join(", ")}. ` +
        "DynamoDB creates all replicas of a multi-Region strong consistency table in one request and cannot change a global table's consistency mode, " +
        "so create a new table for strong consistency.",
    );
  }

  const update: UpdateTableCommandInput = {
    TableName: request.tableName,
    ReplicaUpdates: request.regions.map((region) => ({ Create: { RegionName: region } })),
    MultiRegionConsistency: "STRONG",
  };
  if (request.witnessRegion !== undefined) update.GlobalTableWitnessUpdates = [{ Create: { RegionName: request.witnessRegion } }];

  return { skippedRegions: [], streamUpdate: undefined, replicaUpdates: [update] };
}

/**
 * Plans the UpdateTable requests that give `table` the requested replicas.
 * Regions that already have a replica are skipped. For eventual consistency
 * DynamoDB accepts one new replica per UpdateTable request, so each region
 * gets its own request, after one that turns on the stream if it is off.
 * For strong consistency all replicas and the witness go into one request
 * with `MultiRegionConsistency: "STRONG"`, because DynamoDB creates a
 * multi-Region strong consistency table with its full set of regions at once.
 *
 * NOTE: AWS's MRSC example sends one replica plus a witness in one request.
 * The two-replica request follows from the three-region rule and has not
 * been run against AWS.
 */
export function planReplicaUpdates(table: TableDescription, request: ReplicaRequest, homeRegion: string): ReplicaPlan {
  const existing = existingReplicaRegions(table, homeRegion);
  return request.consistency === "strong" ? planStrong(table, request, existing) : planEventual(table, request, existing);
}
