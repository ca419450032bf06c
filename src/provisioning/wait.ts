import { DescribeTableCommand, type DynamoDBClient, type TableDescription } from "@aws-sdk/client-dynamodb";
import { RetriesExhaustedError, TableSchemaError } from "../errors/index.js";
import { resolveFunction, resolvePositiveNumber } from "./option-validation.js";

/** Options that bound how long provisioning polls DescribeTable for a table to become ACTIVE. */
export interface WaitOptions {
  /**
   * Maximum time to wait for the table, its indexes and its replicas to become
   * ACTIVE after each change, in seconds. Exceeding it throws
   * `RetriesExhaustedError`, but the change itself goes on in DynamoDB.
   * @default 300 for createTable, 3600 per region for addReplicas
   */
  readonly maxWaitSeconds?: number;
  /**
   * Time between two DescribeTable requests while waiting, in seconds.
   * DescribeTable is a control-plane request and consumes no capacity units.
   * @default 5
   */
  readonly pollIntervalSeconds?: number;
  /**
   * Function that resolves after the given number of milliseconds. Tests pass
   * one that resolves at once, so waiting costs no real time.
   * @default a `setTimeout` based sleep
   */
  readonly sleep?: (milliseconds: number) => Promise<void>;
}

export const waitOptionKeys = ["maxWaitSeconds", "pollIntervalSeconds", "sleep"] as const;

/** Wait options with every default applied. */
export interface ResolvedWaitOptions {
  readonly maxWaitSeconds: number;
  readonly pollIntervalSeconds: number;
  readonly sleep: (milliseconds: number) => Promise<void>;
}

const defaultPollIntervalSeconds = 5;

function sleepWithTimer(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Applies the defaults of {@link WaitOptions} and validates each value. */
export function resolveWaitOptions(options: WaitOptions, defaultMaxWaitSeconds: number): ResolvedWaitOptions {
  return {
    maxWaitSeconds: resolvePositiveNumber("maxWaitSeconds", options.maxWaitSeconds, defaultMaxWaitSeconds),
    pollIntervalSeconds: resolvePositiveNumber("pollIntervalSeconds", options.pollIntervalSeconds, defaultPollIntervalSeconds),
    sleep: resolveFunction("sleep", options.sleep, sleepWithTimer),
  };
}

// Replica states that last until someone fixes their cause outside DynamoDB.
const failedReplicaStatuses = new Set(["CREATION_FAILED", "REGION_DISABLED", "INACCESSIBLE_ENCRYPTION_CREDENTIALS", "REPLICATION_NOT_AUTHORIZED"]);

/**
 * Lists the parts of a table that are not ACTIVE yet (the table, each global
 * secondary index, each replica and witness), such as `replica eu-west-1 CREATING`.
 * An empty list means the table is ready for the next change.
 */
export function findPendingParts(table: TableDescription): string[] {
  const pending: string[] = [];

  if (table.TableStatus !== "ACTIVE") pending.push(`table ${table.TableStatus ?? "in an unknown status"}`);

  for (const index of table.GlobalSecondaryIndexes ?? []) {
    if (index.IndexStatus !== undefined && index.IndexStatus !== "ACTIVE") pending.push(`index ${index.IndexName} ${index.IndexStatus}`);
  }

  for (const replica of table.Replicas ?? []) {
    if (replica.ReplicaStatus !== undefined && replica.ReplicaStatus !== "ACTIVE") pending.push(`replica ${replica.RegionName} ${replica.ReplicaStatus}`);
  }

  for (const witness of table.GlobalTableWitnesses ?? []) {
    if (witness.WitnessStatus !== undefined && witness.WitnessStatus !== "ACTIVE") pending.push(`witness ${witness.RegionName} ${witness.WitnessStatus}`);
  }

  return pending;
}

function throwIfReplicaFailed(table: TableDescription, tableName: string): void {
  const failed = (table.Replicas ?? []).find((replica) => failedReplicaStatuses.has(replica.ReplicaStatus ?? ""));
  if (failed === undefined) return;

  const detail = failed.ReplicaStatusDescription === undefined ? "" : ` (${failed.ReplicaStatusDescription})`;
  throw new TableSchemaError(
    tableName,
    `replica in region ${failed.RegionName} is ${failed.ReplicaStatus}${detail}, so it cannot become ACTIVE until its cause is fixed. ` +
      "Typical causes are a region disabled for the account, a KMS key out of reach, or missing IAM permissions. " +
      "Fix the cause, or delete the replica and add it again.",
  );
}

/**
 * Polls DescribeTable until the table, its indexes, replicas and witness are
 * all ACTIVE, and returns that description. Throws `TableSchemaError` when a
 * replica reaches a failed status, and `RetriesExhaustedError` after
 * `maxWaitSeconds` of sleeping between polls.
 */
export async function waitUntilTableActive(client: DynamoDBClient, tableName: string, wait: ResolvedWaitOptions): Promise<TableDescription> {
  let sleptSeconds = 0;
  let attempts = 0;

  for (;;) {
    attempts += 1;
    const output = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const table = output.Table ?? {};

    throwIfReplicaFailed(table, tableName);
    const pending = findPendingParts(table);
    if (pending.length === 0) return table;

    if (sleptSeconds + wait.pollIntervalSeconds > wait.maxWaitSeconds) {
      throw new RetriesExhaustedError(
        `Waiting for table ${JSON.stringify(tableName)} to become ACTIVE`,
        attempts,
        `still pending after ${sleptSeconds} s: ${pending.join(", ")}. ` +
          "DynamoDB goes on with the change, so run this again later (finished steps are skipped) or raise maxWaitSeconds.",
      );
    }

    await wait.sleep(wait.pollIntervalSeconds * 1000);
    sleptSeconds += wait.pollIntervalSeconds;
  }
}
