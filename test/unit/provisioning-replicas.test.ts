import {
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTableCommand,
  type TableDescription,
  type UpdateTableCommandInput,
} from "@aws-sdk/client-dynamodb";
import { mockClient, type AwsStub } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidOptionError, RetriesExhaustedError, TableSchemaError } from "../../src/errors/index.js";
import { addReplicas, type AddReplicasOptions } from "../../src/provisioning/add-replicas.js";
import type { ProvisioningEvent } from "../../src/provisioning/events.js";
import { localCredentials } from "../support/dynamodb-local.js";
import { expectRejection } from "../support/assertions.js";

const tableName = "sessions";

// The client never reaches this endpoint: aws-sdk-client-mock replaces `send`.
function unreachableClient(region = "us-east-1"): DynamoDBClient {
  return new DynamoDBClient({ region, endpoint: "http://127.0.0.1:9", credentials: localCredentials });
}

function activeTable(overrides: Partial<TableDescription> = {}): TableDescription {
  return {
    TableName: tableName,
    TableStatus: "ACTIVE",
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
    ...overrides,
  };
}

/**
 * Simulates DynamoDB's control plane: an UpdateTable puts the table in
 * UPDATING and new replicas in CREATING for `pollsUntilActive` DescribeTable
 * requests, after which everything is ACTIVE.
 */
function simulateControlPlane(stub: AwsStub<any, any, any>, initial: TableDescription, pollsUntilActive = 2): void {
  let table: TableDescription = structuredClone(initial);
  let pendingPolls = 0;

  stub.on(DescribeTableCommand).callsFake(() => {
    if (pendingPolls > 0) {
      pendingPolls -= 1;
    } else {
      table = {
        ...table,
        TableStatus: "ACTIVE",
        Replicas: table.Replicas?.map((replica) => ({ ...replica, ReplicaStatus: "ACTIVE" })),
        GlobalTableWitnesses: table.GlobalTableWitnesses?.map((witness) => ({ ...witness, WitnessStatus: "ACTIVE" })),
      };
    }
    return { Table: structuredClone(table) };
  });

  stub.on(UpdateTableCommand).callsFake((input: UpdateTableCommandInput) => {
    const created = (input.ReplicaUpdates ?? []).map((update) => ({ RegionName: update.Create?.RegionName, ReplicaStatus: "CREATING" as const }));
    const witnesses = (input.GlobalTableWitnessUpdates ?? []).map((update) => ({ RegionName: update.Create?.RegionName, WitnessStatus: "CREATING" as const }));

    table = {
      ...table,
      TableStatus: "UPDATING",
      Replicas: [...(table.Replicas ?? []), ...created],
      ...(witnesses.length > 0 ? { GlobalTableWitnesses: witnesses } : {}),
      ...(input.MultiRegionConsistency === undefined ? {} : { MultiRegionConsistency: input.MultiRegionConsistency }),
      ...(input.StreamSpecification === undefined ? {} : { StreamSpecification: input.StreamSpecification }),
    };
    pendingPolls = pollsUntilActive;
    return { TableDescription: structuredClone(table) };
  });
}

/** Lists every request the client sent, as command name and input. */
function sentRequests(stub: AwsStub<any, any, any>): { command: string; input: unknown }[] {
  return stub.calls().map((call) => ({ command: (call.args[0] as object).constructor.name, input: (call.args[0] as { input: unknown }).input }));
}


const describeRequest = { command: "DescribeTableCommand", input: { TableName: tableName } };

describe("addReplicas", () => {
  let client: DynamoDBClient;
  let stub: AwsStub<any, any, any>;
  let sleeps: number[];
  let events: ProvisioningEvent[];

  beforeEach(() => {
    client = unreachableClient();
    stub = mockClient(client);
    sleeps = [];
    events = [];
  });

  afterEach(() => {
    stub.restore();
    client.destroy();
  });

  function options(overrides: Partial<AddReplicasOptions> & Pick<AddReplicasOptions, "regions">): AddReplicasOptions {
    return {
      tableName,
      pollIntervalSeconds: 10,
      sleep: async (milliseconds) => {
        sleeps.push(milliseconds);
      },
      onProgress: (event) => events.push(event),
      ...overrides,
    };
  }

  it("eventual adds one region per UpdateTable and waits between", async () => {
    simulateControlPlane(stub, activeTable());

    const result = await addReplicas(client, options({ regions: ["eu-west-1", "ap-northeast-1"] }));

    expect(result).toEqual({ tableName, consistency: "eventual", addedRegions: ["eu-west-1", "ap-northeast-1"], skippedRegions: [] });
    expect(sentRequests(stub)).toEqual([
      describeRequest,
      describeRequest,
      { command: "UpdateTableCommand", input: { TableName: tableName, ReplicaUpdates: [{ Create: { RegionName: "eu-west-1" } }] } },
      describeRequest,
      describeRequest,
      describeRequest,
      { command: "UpdateTableCommand", input: { TableName: tableName, ReplicaUpdates: [{ Create: { RegionName: "ap-northeast-1" } }] } },
      describeRequest,
      describeRequest,
      describeRequest,
    ]);
    expect(sleeps).toEqual([10_000, 10_000, 10_000, 10_000]);
  });

  it("eventual reports progress events in order", async () => {
    simulateControlPlane(stub, activeTable({ Replicas: [{ RegionName: "us-east-1", ReplicaStatus: "ACTIVE" }, { RegionName: "eu-west-1", ReplicaStatus: "ACTIVE" }] }));

    await addReplicas(client, options({ regions: ["eu-west-1", "eu-central-1"] }));

    expect(events).toEqual([
      { type: "replica-skipped", tableName, region: "eu-west-1" },
      { type: "replicas-creating", tableName, regions: ["eu-central-1"], witnessRegion: undefined },
      { type: "replicas-active", tableName, regions: ["eu-central-1"] },
    ]);
  });

  it("eventual skips existing replicas and own region", async () => {
    simulateControlPlane(stub, activeTable({ Replicas: [{ RegionName: "us-east-1", ReplicaStatus: "ACTIVE" }, { RegionName: "eu-west-1", ReplicaStatus: "ACTIVE" }] }));

    const result = await addReplicas(client, options({ regions: ["us-east-1", "eu-west-1", "eu-west-1", "sa-east-1"] }));

    expect(result.addedRegions).toEqual(["sa-east-1"]);
    expect(result.skippedRegions).toEqual(["eu-west-1"]);
    const updates = stub.commandCalls(UpdateTableCommand).map((call) => call.args[0].input);
    expect(updates).toEqual([{ TableName: tableName, ReplicaUpdates: [{ Create: { RegionName: "sa-east-1" } }] }]);
  });

  it("eventual sends nothing when every region exists", async () => {
    simulateControlPlane(stub, activeTable({ Replicas: [{ RegionName: "eu-west-1", ReplicaStatus: "ACTIVE" }], StreamSpecification: undefined }));

    const result = await addReplicas(client, options({ regions: ["eu-west-1"] }));

    expect(result.addedRegions).toEqual([]);
    expect(stub.commandCalls(UpdateTableCommand)).toHaveLength(0);
  });

  it("eventual turns the stream on first", async () => {
    simulateControlPlane(stub, activeTable({ StreamSpecification: undefined }), 0);

    await addReplicas(client, options({ regions: ["eu-west-1"] }));

    const updates = stub.commandCalls(UpdateTableCommand).map((call) => call.args[0].input);
    expect(updates).toEqual([
      { TableName: tableName, StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" } },
      { TableName: tableName, ReplicaUpdates: [{ Create: { RegionName: "eu-west-1" } }] },
    ]);
    expect(events[0]).toEqual({ type: "stream-enabling", tableName });
  });

  it("eventual rejects a stream of another view type", async () => {
    simulateControlPlane(stub, activeTable({ StreamSpecification: { StreamEnabled: true, StreamViewType: "KEYS_ONLY" } }));

    await expectRejection(
      addReplicas(client, options({ regions: ["eu-west-1"] })),
      TableSchemaError,
      'Table "sessions": has a stream with view type KEYS_ONLY, but global table replication needs NEW_AND_OLD_IMAGES. ' +
        "Turn the stream off with UpdateTable (StreamSpecification.StreamEnabled false) and run this again.",
    );
    expect(stub.commandCalls(UpdateTableCommand)).toHaveLength(0);
  });

  it("eventual waits for a table that is still updating", async () => {
    const table = activeTable({ TableStatus: "UPDATING" });
    stub
      .on(DescribeTableCommand)
      .resolvesOnce({ Table: table })
      .resolvesOnce({ Table: table })
      .resolvesOnce({ Table: table })
      .resolves({ Table: activeTable() });
    stub.on(UpdateTableCommand).resolves({});

    await addReplicas(client, options({ regions: ["eu-west-1"] }));

    const commands = sentRequests(stub).map((request) => request.command);
    expect(commands.slice(0, 4)).toEqual(["DescribeTableCommand", "DescribeTableCommand", "DescribeTableCommand", "DescribeTableCommand"]);
    expect(commands[4]).toBe("UpdateTableCommand");
    expect(sleeps.slice(0, 2)).toEqual([10_000, 10_000]);
  });

  it("eventual rejects a strong consistency table", async () => {
    simulateControlPlane(stub, activeTable({ MultiRegionConsistency: "STRONG", Replicas: [{ RegionName: "us-east-2", ReplicaStatus: "ACTIVE" }] }));

    await expectRejection(
      addReplicas(client, options({ regions: ["eu-west-1"] })),
      TableSchemaError,
      'Table "sessions": is a multi-Region strong consistency global table, and DynamoDB cannot change the consistency mode of a global table. ' +
        'Pass consistency "strong", or use another table.',
    );
  });

  it("strong sends all regions in one UpdateTable", async () => {
    simulateControlPlane(stub, activeTable({ StreamSpecification: undefined }));

    const result = await addReplicas(client, options({ regions: ["us-east-2", "us-west-2"], consistency: "strong" }));

    expect(result).toEqual({ tableName, consistency: "strong", addedRegions: ["us-east-2", "us-west-2"], skippedRegions: [] });
    const updates = stub.commandCalls(UpdateTableCommand).map((call) => call.args[0].input);
    expect(updates).toEqual([
      {
        TableName: tableName,
        ReplicaUpdates: [{ Create: { RegionName: "us-east-2" } }, { Create: { RegionName: "us-west-2" } }],
        MultiRegionConsistency: "STRONG",
      },
    ]);
    expect(sentRequests(stub).at(-1)).toEqual(describeRequest);
  });

  it("strong with witness sends replica and witness", async () => {
    simulateControlPlane(stub, activeTable());

    await addReplicas(client, options({ regions: ["us-east-1", "us-east-2"], consistency: "strong", witnessRegion: "us-west-2" }));

    const updates = stub.commandCalls(UpdateTableCommand).map((call) => call.args[0].input);
    expect(updates).toEqual([
      {
        TableName: tableName,
        ReplicaUpdates: [{ Create: { RegionName: "us-east-2" } }],
        MultiRegionConsistency: "STRONG",
        GlobalTableWitnessUpdates: [{ Create: { RegionName: "us-west-2" } }],
      },
    ]);
    expect(events).toContainEqual({ type: "replicas-creating", tableName, regions: ["us-east-2"], witnessRegion: "us-west-2" });
  });

  it("strong skips a complete strong table", async () => {
    simulateControlPlane(
      stub,
      activeTable({
        MultiRegionConsistency: "STRONG",
        Replicas: [
          { RegionName: "us-east-1", ReplicaStatus: "ACTIVE" },
          { RegionName: "us-east-2", ReplicaStatus: "ACTIVE" },
          { RegionName: "us-west-2", ReplicaStatus: "ACTIVE" },
        ],
      }),
    );

    const result = await addReplicas(client, options({ regions: ["us-east-2", "us-west-2"], consistency: "strong" }));

    expect(result.skippedRegions).toEqual(["us-east-2", "us-west-2"]);
    expect(stub.commandCalls(UpdateTableCommand)).toHaveLength(0);
  });

  it("strong rejects an eventual global table", async () => {
    simulateControlPlane(stub, activeTable({ Replicas: [{ RegionName: "us-east-1", ReplicaStatus: "ACTIVE" }, { RegionName: "us-east-2", ReplicaStatus: "ACTIVE" }] }));

    await expectRejection(
      addReplicas(client, options({ regions: ["us-east-2", "us-west-2"], consistency: "strong" })),
      TableSchemaError,
      'Table "sessions": is already a global table with eventual consistency and replicas in us-east-2. ' +
        "DynamoDB creates all replicas of a multi-Region strong consistency table in one request and cannot change a global table's consistency mode, " +
        "so create a new table for strong consistency.",
    );
    expect(stub.commandCalls(UpdateTableCommand)).toHaveLength(0);
  });

  it("missing table names the create command", async () => {
    stub.on(DescribeTableCommand).rejects(new ResourceNotFoundException({ message: "Requested resource not found", $metadata: {} }));

    await expectRejection(
      addReplicas(client, options({ regions: ["eu-west-1"] })),
      TableSchemaError,
      'Table "sessions": not found in region us-east-1. Run `npx authjs-dynamodb-global create-table --table sessions --region us-east-1` first.',
    );
  });

  it("failed replica stops the wait", async () => {
    stub
      .on(DescribeTableCommand)
      .resolvesOnce({ Table: activeTable() })
      .resolvesOnce({ Table: activeTable() })
      .resolves({
        Table: activeTable({
          TableStatus: "UPDATING",
          Replicas: [{ RegionName: "ap-east-1", ReplicaStatus: "REGION_DISABLED", ReplicaStatusDescription: "Region is not enabled" }],
        }),
      });
    stub.on(UpdateTableCommand).resolves({});

    await expectRejection(
      addReplicas(client, options({ regions: ["ap-east-1"] })),
      TableSchemaError,
      'Table "sessions": replica in region ap-east-1 is REGION_DISABLED (Region is not enabled), so it cannot become ACTIVE until its cause is fixed. ' +
        "Typical causes are a region disabled for the account, a KMS key out of reach, or missing IAM permissions. " +
        "Fix the cause, or delete the replica and add it again.",
    );
    expect(sleeps).toEqual([]);
  });

  it("wait gives up after maxWaitSeconds", async () => {
    stub
      .on(DescribeTableCommand)
      .resolvesOnce({ Table: activeTable() })
      .resolvesOnce({ Table: activeTable() })
      .resolves({ Table: activeTable({ TableStatus: "UPDATING", Replicas: [{ RegionName: "eu-west-1", ReplicaStatus: "CREATING" }] }) });
    stub.on(UpdateTableCommand).resolves({});

    await expectRejection(
      addReplicas(client, options({ regions: ["eu-west-1"], maxWaitSeconds: 30 })),
      RetriesExhaustedError,
      'Waiting for table "sessions" to become ACTIVE failed after 4 attempts: still pending after 30 s: table UPDATING, replica eu-west-1 CREATING. ' +
        "DynamoDB goes on with the change, so run this again later (finished steps are skipped) or raise maxWaitSeconds.",
    );
    expect(sleeps).toEqual([10_000, 10_000, 10_000]);
  });

  it("UpdateTable errors propagate unchanged", async () => {
    simulateControlPlane(stub, activeTable());
    const limitError = Object.assign(new Error("Too many tables are being updated"), { name: "LimitExceededException" });
    stub.on(UpdateTableCommand).rejects(limitError);

    await expect(addReplicas(client, options({ regions: ["eu-west-1"] }))).rejects.toBe(limitError);
  });
});

describe("addReplicas option validation", () => {
  let client: DynamoDBClient;
  let stub: AwsStub<any, any, any>;

  beforeEach(() => {
    client = unreachableClient();
    stub = mockClient(client);
  });

  afterEach(() => {
    stub.restore();
    client.destroy();
  });

  const cases: { name: string; options: Record<string, unknown>; message: string }[] = [
    {
      name: "missing regions",
      options: { tableName },
      message: "Expected option `regions` to be a non-empty array of AWS region names, got undefined.",
    },
    {
      name: "invalid region name",
      options: { tableName, regions: ["eu-west-1", "Europe"] },
      message: 'Expected option `regions[1]` to be an AWS region name such as `eu-west-1`, got "Europe".',
    },
    {
      name: "unknown consistency",
      options: { tableName, regions: ["eu-west-1"], consistency: "linearizable" },
      message: 'Expected option `consistency` to be "eventual" or "strong", got "linearizable".',
    },
    {
      name: "witness without strong",
      options: { tableName, regions: ["eu-west-1"], witnessRegion: "eu-west-2" },
      message:
        'Expected option `witnessRegion` to be left out unless consistency is "strong", because only multi-Region strong consistency tables have a witness, got "eu-west-2".',
    },
    {
      name: "witness in a replica region",
      options: { tableName, regions: ["us-east-2"], consistency: "strong", witnessRegion: "us-east-2" },
      message: 'Expected option `witnessRegion` to be a region without a replica of the table, got "us-east-2".',
    },
    {
      name: "strong with one region",
      options: { tableName, regions: ["us-east-2"], consistency: "strong" },
      message:
        "Expected option `regions` to be exactly 2 regions besides the table's region us-east-1, because a multi-Region strong consistency table " +
        "has exactly three replicas (or two replicas and a witnessRegion), got an array of 1.",
    },
    {
      name: "strong with witness and two regions",
      options: { tableName, regions: ["us-east-2", "us-west-1"], consistency: "strong", witnessRegion: "us-west-2" },
      message:
        "Expected option `regions` to be exactly 1 region besides the table's region us-east-1, because a multi-Region strong consistency table " +
        "with a witness has exactly two replicas, got an array of 2.",
    },
    {
      name: "unknown option",
      options: { tableName, regions: ["eu-west-1"], region: "eu-west-1" },
      message:
        "Expected option `region` to be a known option name (addReplicas accepts tableName, regions, consistency, witnessRegion, onProgress, " +
        'maxWaitSeconds, pollIntervalSeconds, sleep), got "eu-west-1".',
    },
    {
      name: "negative maxWaitSeconds",
      options: { tableName, regions: ["eu-west-1"], maxWaitSeconds: -1 },
      message: "Expected option `maxWaitSeconds` to be a finite number greater than 0, got -1.",
    },
  ];

  for (const testCase of cases) {
    it(`rejects ${testCase.name} before any request`, async () => {
      await expectRejection(addReplicas(client, testCase.options as unknown as AddReplicasOptions), InvalidOptionError, testCase.message);
      expect(stub.calls()).toHaveLength(0);
    });
  }
});
