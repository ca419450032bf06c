import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { DeleteTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocument } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runCli } from "../../src/provisioning/cli.js";
import { localCredentials } from "../support/dynamodb-local.js";
import { localClient } from "../support/tables.js";

const region = "us-east-1";
const projectRoot = fileURLToPath(new URL("../..", import.meta.url));

// Fixed credentials for DynamoDB Local, so the SDK never walks its default chain.
const credentialEnv = {
  AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
};

/** Runs the command line in-process and collects its output. */
async function runInProcess(argv: string[], now?: () => number) {
  let stdout = "";
  let stderr = "";
  const exitCode = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: credentialEnv,
    ...(now === undefined ? {} : { now }),
  });

  return { exitCode, stdout, stderr };
}

/** Runs `src/cli.ts` in a child process through tsx, with only the variables it needs. */
function runChild(argv: string[]): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", ...argv], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH, ...credentialEnv, AWS_EC2_METADATA_DISABLED: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";

    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
}

/** Drops the Node.js warning the AWS SDK prints on Node 20, which is not the command's output. */
function withoutSdkWarning(stderr: string): string {
  return stderr.replace(/\(node:\d+\) Warning: NodeVersionSupportWarning[\s\S]*?--trace-warnings[^\n]*\n/, "");
}

describe("authjs-dynamodb-global command line", () => {
  const endpoint = inject("dynamoEndpoint");
  const connection = ["--endpoint", endpoint, "--region", region];
  let client: DynamoDBClient;
  const createdTables: string[] = [];

  function uniqueTableName(): string {
    const tableName = `cli-${randomUUID()}`;
    createdTables.push(tableName);
    return tableName;
  }

  beforeAll(() => {
    client = localClient(region);
  });

  afterAll(async () => {
    for (const tableName of createdTables) {
      await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
    }
    client.destroy();
  });

  it("create-table then verify-table in-process", async () => {
    const tableName = uniqueTableName();
    const keyFlags = ["--partition-key", "hashKey", "--sort-key", "rangeKey", "--index-name", "byLookup"];

    const created = await runInProcess(["create-table", "--table", tableName, ...keyFlags, ...connection]);

    expect(created.stderr).toBe("");
    expect(created.exitCode).toBe(0);
    expect(created.stdout).toBe(
      `Creating table "${tableName}"...\n` +
        `Table "${tableName}" is ACTIVE.\n` +
        'Time to live is on for attribute "expires".\n' +
        `Created table "${tableName}".\n`,
    );

    const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(table?.KeySchema?.map((key) => key.AttributeName)).toEqual(["hashKey", "rangeKey"]);

    const verified = await runInProcess(["verify-table", "--table", tableName, ...keyFlags, ...connection]);
    expect(verified.exitCode).toBe(0);
    expect(verified.stdout).toBe(`Table "${tableName}" fits the adapter: partition key hashKey, sort key rangeKey, index byLookup (GSI1PK, GSI1SK) projecting ALL.\n`);
  });

  it("create-table twice keeps the table", async () => {
    const tableName = uniqueTableName();
    await runInProcess(["create-table", "--table", tableName, ...connection]);

    const second = await runInProcess(["create-table", "--table", tableName, ...connection]);

    expect(second.exitCode).toBe(0);
    expect(second.stdout).toBe(`Table "${tableName}" exists, checking its schema.\nKept table "${tableName}", whose schema fits.\n`);
  });

  it("create-table with strong consistency leaves time to live off", async () => {
    const tableName = uniqueTableName();

    const result = await runInProcess(["create-table", "--table", tableName, "--consistency", "strong", ...connection]);

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(
      `Creating table "${tableName}"...\n` +
        `Table "${tableName}" is ACTIVE.\n` +
        `Created table "${tableName}".\n` +
        "Time to live stays off, because multi-Region strong consistency tables do not support it. " +
        `Run \`npx authjs-dynamodb-global sweep-expired --table ${tableName}\` on a schedule to delete expired sessions.\n`,
    );
    const timeToLive = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    expect(timeToLive.TimeToLiveDescription?.TimeToLiveStatus).toBe("DISABLED");
  });

  it("verify-table on a missing table fails with one line", async () => {
    const tableName = `cli-missing-${randomUUID()}`;

    const result = await runInProcess(["verify-table", "--table", tableName, ...connection]);

    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `Error: Table "${tableName}": not found in region us-east-1. ` +
        `Run \`npx authjs-dynamodb-global create-table --table ${tableName} --region us-east-1\` to create it, or set the option tableName to an existing table.\n`,
    );
  });

  it("sweep-expired deletes expired sessions", async () => {
    const tableName = uniqueTableName();
    await runInProcess(["create-table", "--table", tableName, ...connection]);
    const document = DynamoDBDocument.from(client);
    const nowSeconds = 1_700_000_000;
    await document.put({ TableName: tableName, Item: { pk: "SESSION#a", sk: "SESSION#a", expires: nowSeconds - 1 } });
    await document.put({ TableName: tableName, Item: { pk: "SESSION#b", sk: "SESSION#b", expires: nowSeconds + 1 } });

    const dryRun = await runInProcess(["sweep-expired", "--table", tableName, "--dry-run", ...connection], () => nowSeconds * 1000);
    const sweep = await runInProcess(["sweep-expired", "--table", tableName, ...connection], () => nowSeconds * 1000);

    expect(dryRun.stdout).toBe("Dry run: scanned 2 items, 1 expired; nothing was deleted.\n");
    expect(sweep.exitCode).toBe(0);
    expect(sweep.stdout).toBe("Scanned 2 items: 1 expired, 1 deleted, 0 kept because they changed after the scan.\n");
    const remaining = await document.scan({ TableName: tableName, ConsistentRead: true });
    expect(remaining.Items?.map((item) => item.pk)).toEqual(["SESSION#b"]);
  });

  it("child process runs create-table then verify-table", async () => {
    const tableName = uniqueTableName();

    const created = await runChild(["create-table", "--table", tableName, ...connection]);
    const verified = await runChild(["verify-table", "--table", tableName, ...connection]);
    const mismatch = await runChild(["verify-table", "--table", tableName, "--sort-key", "rangeKey", ...connection]);

    expect(withoutSdkWarning(created.stderr)).toBe("");
    expect(created.exitCode).toBe(0);
    expect(created.stdout).toContain(`Created table "${tableName}".\n`);
    expect(verified.exitCode).toBe(0);
    expect(verified.stdout).toBe(`Table "${tableName}" fits the adapter: partition key pk, sort key sk, index GSI1 (GSI1PK, GSI1SK) projecting ALL.\n`);
    expect(mismatch.exitCode).toBe(1);
    expect(withoutSdkWarning(mismatch.stderr)).toBe(
      `Error: Table "${tableName}": has another schema than the adapter options describe: sort key is "sk", expected "rangeKey". ` +
        'For the sort key, set the option sortKey to "sk" (--sort-key sk) if the table is right, or use a table created with these options.\n',
    );
  });
});
