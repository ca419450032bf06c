import { describe, expect, it } from "vitest";
import { InvalidOptionError } from "../../src/errors/index.js";
import { buildClientConfig, helpText, parseCliArguments } from "../../src/provisioning/cli-arguments.js";
import { runCli } from "../../src/provisioning/cli.js";

/** Runs the command line in-process and collects its output. */
async function run(argv: string[], env: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  const exitCode = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
  });

  return { exitCode, stdout, stderr };
}

function parseError(argv: string[]): unknown {
  try {
    parseCliArguments(argv);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("parseCliArguments", () => {
  it("create-table with every flag", () => {
    const args = parseCliArguments([
      "create-table",
      "--table",
      "sessions",
      "--region",
      "us-east-1",
      "--endpoint",
      "http://127.0.0.1:8000",
      "--partition-key",
      "hashKey",
      "--sort-key",
      "rangeKey",
      "--index-name",
      "byLookup",
      "--index-partition-key",
      "lookupHash",
      "--index-sort-key",
      "lookupRange",
      "--ttl-attribute",
      "validUntil",
      "--replicas",
      "us-east-2, us-west-2",
      "--consistency",
      "strong",
    ]);

    expect(args).toEqual({
      command: "create-table",
      help: false,
      table: {
        tableName: "sessions",
        partitionKey: "hashKey",
        sortKey: "rangeKey",
        indexName: "byLookup",
        indexPartitionKey: "lookupHash",
        indexSortKey: "lookupRange",
      },
      region: "us-east-1",
      endpoint: "http://127.0.0.1:8000",
      ttlAttribute: "validUntil",
      replicas: ["us-east-2", "us-west-2"],
      consistency: "strong",
      witnessRegion: undefined,
      dryRun: false,
    });
  });

  it("leaves unset table flags out", () => {
    const args = parseCliArguments(["sweep-expired", "--dry-run"]);

    expect(args.table).toEqual({});
    expect(args.dryRun).toBe(true);
    expect(args.consistency).toBe("eventual");
    expect(args.replicas).toEqual([]);
  });

  const invalid: { name: string; argv: string[]; message: string }[] = [
    {
      name: "unknown command",
      argv: ["drop-table"],
      message: 'Expected option `command` to be one of create-table, verify-table, sweep-expired, got "drop-table".',
    },
    {
      name: "two commands",
      argv: ["create-table", "verify-table"],
      message: 'Expected option `command` to be one command (create-table, verify-table, sweep-expired), got "create-table verify-table".',
    },
    {
      name: "dry run on create-table",
      argv: ["create-table", "--dry-run"],
      message: "Expected option `--dry-run` to be left out, because only sweep-expired takes it, got true.",
    },
    {
      name: "replicas on verify-table",
      argv: ["verify-table", "--replicas", "eu-west-1"],
      message: 'Expected option `--replicas` to be left out, because only create-table takes it, got "eu-west-1".',
    },
    {
      name: "unknown consistency",
      argv: ["create-table", "--consistency", "linearizable"],
      message: 'Expected option `--consistency` to be "eventual" or "strong", got "linearizable".',
    },
    {
      name: "endpoint without scheme",
      argv: ["verify-table", "--endpoint", "127.0.0.1:8000"],
      message: 'Expected option `--endpoint` to be an http:// or https:// URL, got "127.0.0.1:8000".',
    },
  ];

  for (const testCase of invalid) {
    it(`rejects ${testCase.name}`, () => {
      const error = parseError(testCase.argv);

      expect(error).toBeInstanceOf(InvalidOptionError);
      expect((error as Error).message).toBe(testCase.message);
    });
  }
});

describe("buildClientConfig", () => {
  const endpoint = "http://127.0.0.1:8000";

  it("takes credentials from the environment", () => {
    const config = buildClientConfig({ region: undefined, endpoint }, { AWS_REGION: "eu-west-1", AWS_ACCESS_KEY_ID: "id", AWS_SECRET_ACCESS_KEY: "secret" });

    expect(config).toEqual({ region: "eu-west-1", endpoint, credentials: { accessKeyId: "id", secretAccessKey: "secret" } });
  });

  it("passes the session token along", () => {
    const config = buildClientConfig(
      { region: "us-east-1", endpoint: undefined },
      { AWS_ACCESS_KEY_ID: "id", AWS_SECRET_ACCESS_KEY: "secret", AWS_SESSION_TOKEN: "token" },
    );

    expect(config).toEqual({ region: "us-east-1", credentials: { accessKeyId: "id", secretAccessKey: "secret", sessionToken: "token" } });
  });

  it("region flag wins over the environment", () => {
    expect(buildClientConfig({ region: "ap-south-1", endpoint: undefined }, { AWS_REGION: "eu-west-1", AWS_DEFAULT_REGION: "us-west-2" }).region).toBe("ap-south-1");
    expect(buildClientConfig({ region: undefined, endpoint: undefined }, { AWS_DEFAULT_REGION: "us-west-2" }).region).toBe("us-west-2");
  });

  it("loopback endpoint gets placeholder credentials", () => {
    const config = buildClientConfig({ region: "us-east-1", endpoint: "http://localhost:8000" }, {});

    expect(config.credentials).toEqual({ accessKeyId: "local", secretAccessKey: "local" });
  });

  it("leaves credentials to the SDK chain otherwise", () => {
    expect(buildClientConfig({ region: "us-east-1", endpoint: undefined }, {})).toEqual({ region: "us-east-1" });
    expect(buildClientConfig({ region: "us-east-1", endpoint: "https://dynamodb.example.internal" }, {})).not.toHaveProperty("credentials");
  });

  it("AWS_PROFILE keeps the SDK chain", () => {
    const config = buildClientConfig({ region: "us-east-1", endpoint: undefined }, { AWS_PROFILE: "admin", AWS_ACCESS_KEY_ID: "id", AWS_SECRET_ACCESS_KEY: "secret" });

    expect(config).not.toHaveProperty("credentials");
  });
});

describe("runCli without DynamoDB", () => {
  it("--help prints usage and exits 0", async () => {
    const result = await run(["--help"]);

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(helpText);
    expect(result.stderr).toBe("");
  });

  it("command --help prints usage", async () => {
    const result = await run(["create-table", "-h"]);

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(helpText);
  });

  it("no arguments prints usage on stderr", async () => {
    const result = await run([]);

    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(helpText);
  });

  it("unknown flag is one line with a hint", async () => {
    const result = await run(["verify-table", "--tabel", "x"]);

    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe("Error: Unknown option '--tabel'. Run `authjs-dynamodb-global --help` for usage.\n");
  });

  it("invalid option value is one line without stack", async () => {
    const result = await run(["create-table", "--table", "a b", "--endpoint", "http://127.0.0.1:9", "--region", "us-east-1"]);

    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(
      'Error: Expected option `tableName` to be 3 to 255 characters of letters, digits, `_`, `-` or `.`, got "a b".\n',
    );
  });

  it("strong replica count fails before the table is created", async () => {
    const result = await run(["create-table", "--endpoint", "http://127.0.0.1:9", "--region", "us-east-1", "--replicas", "us-east-2", "--consistency", "strong"]);

    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      "Error: Expected option `--replicas` to be exactly 2 regions besides the table's region us-east-1, because a multi-Region strong " +
        "consistency table has exactly three replicas (or two replicas and a --witness-region), got an array of 1.\n",
    );
  });

  it("witness region without replicas fails", async () => {
    const result = await run(["create-table", "--endpoint", "http://127.0.0.1:9", "--region", "us-east-1", "--witness-region", "us-west-2"]);

    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe("Error: Expected option `--replicas` to be a non-empty array of AWS region names, got an array of 0.\n");
  });
});
