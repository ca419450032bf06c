import { parseArgs } from "node:util";
import type { DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { InvalidOptionError } from "../errors/index.js";
import type { TableOptions } from "../table-options.js";
import type { GlobalTableConsistency } from "./replica-plan.js";

/** Subcommands of the `authjs-dynamodb-global` command line. */
export type CliCommand = "create-table" | "verify-table" | "sweep-expired";

/** Parsed command line. */
export interface CliArguments {
  /** Undefined when only `--help` was given. */
  readonly command: CliCommand | undefined;
  readonly help: boolean;
  readonly table: TableOptions;
  readonly region: string | undefined;
  readonly endpoint: string | undefined;
  readonly ttlAttribute: string | undefined;
  readonly replicas: readonly string[];
  readonly consistency: GlobalTableConsistency;
  readonly witnessRegion: string | undefined;
  readonly dryRun: boolean;
}

export const helpText = `Usage: authjs-dynamodb-global <command> [options]

Commands:
  create-table    Create the table (keys, index, on-demand billing, stream, time to live),
                  wait until it is ACTIVE, then add the --replicas regions.
                  A table that exists with a fitting schema is kept.
  verify-table    Check that the table exists and has the keys and index the adapter needs.
  sweep-expired   Delete expired sessions and verification tokens, for tables without
                  time to live (multi-Region strong consistency).

Table options (defaults match @auth/dynamodb-adapter):
  --table NAME                 table name (default next-auth)
  --partition-key NAME         partition key attribute (default pk)
  --sort-key NAME              sort key attribute (default sk)
  --index-name NAME            global secondary index name (default GSI1)
  --index-partition-key NAME   index partition key attribute (default GSI1PK)
  --index-sort-key NAME        index sort key attribute (default GSI1SK)
  --ttl-attribute NAME         expiry attribute, in epoch seconds (default expires)

Connection options:
  --region REGION              AWS region (default: AWS_REGION, then the AWS config file)
  --endpoint URL               DynamoDB endpoint, such as http://127.0.0.1:8000 for DynamoDB Local.
                               Without it, credentials come from the AWS SDK's default chain.

create-table options:
  --replicas R1,R2             regions that get a replica; the table becomes a global table
  --consistency MODE           eventual (default) or strong; strong needs exactly two
                               --replicas, or one plus --witness-region, and turns time to live off
  --witness-region REGION      witness region for --consistency strong

sweep-expired options:
  --dry-run                    count expired items without deleting them

  -h, --help                   show this help
`;

const commands: readonly CliCommand[] = ["create-table", "verify-table", "sweep-expired"];

const optionsOnlyFor: Readonly<Record<string, CliCommand>> = {
  replicas: "create-table",
  consistency: "create-table",
  "witness-region": "create-table",
  "dry-run": "sweep-expired",
};

function parseRaw(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: "boolean", short: "h" },
      table: { type: "string" },
      "partition-key": { type: "string" },
      "sort-key": { type: "string" },
      "index-name": { type: "string" },
      "index-partition-key": { type: "string" },
      "index-sort-key": { type: "string" },
      "ttl-attribute": { type: "string" },
      region: { type: "string" },
      endpoint: { type: "string" },
      replicas: { type: "string" },
      consistency: { type: "string" },
      "witness-region": { type: "string" },
      "dry-run": { type: "boolean" },
    },
  });
}

function parseCommand(positionals: readonly string[], help: boolean): CliCommand | undefined {
  const [name, ...extra] = positionals;

  if (extra.length > 0) throw new InvalidOptionError("command", positionals.join(" "), `one command (${commands.join(", ")})`);
  if (name === undefined && help) return undefined;
  if (!commands.includes(name as CliCommand)) throw new InvalidOptionError("command", name, `one of ${commands.join(", ")}`);

  return name as CliCommand;
}

function parseConsistency(value: string | undefined): GlobalTableConsistency {
  if (value === undefined || value === "eventual" || value === "strong") return value ?? "eventual";
  throw new InvalidOptionError("--consistency", value, '"eventual" or "strong"');
}

function parseEndpoint(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;

  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new InvalidOptionError("--endpoint", value, "an http:// or https:// URL");
  }
  return value;
}

/** Copies the flags that are set into an object, leaving out the unset ones (`exactOptionalPropertyTypes`). */
function definedEntries<T extends object>(entries: Record<string, string | undefined>): T {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined)) as T;
}

/**
 * Parses and validates the command line, without any I/O. Throws
 * `InvalidOptionError` for an unknown command, a flag that the command does
 * not take, or an invalid value. For an unknown flag, `node:util` throws a
 * `TypeError` whose `code` starts with `ERR_PARSE_ARGS`.
 */
export function parseCliArguments(argv: readonly string[]): CliArguments {
  const { values, positionals } = parseRaw(argv);
  const help = values.help === true;
  const command = parseCommand(positionals, help);

  for (const [flag, onlyFor] of Object.entries(optionsOnlyFor)) {
    if (command !== undefined && command !== onlyFor && values[flag as keyof typeof values] !== undefined) {
      throw new InvalidOptionError(`--${flag}`, values[flag as keyof typeof values], `left out, because only ${onlyFor} takes it`);
    }
  }

  return {
    command,
    help,
    table: definedEntries<TableOptions>({
      tableName: values.table,
      partitionKey: values["partition-key"],
      sortKey: values["sort-key"],
      indexName: values["index-name"],
      indexPartitionKey: values["index-partition-key"],
      indexSortKey: values["index-sort-key"],
    }),
    region: values.region,
    endpoint: parseEndpoint(values.endpoint),
    ttlAttribute: values["ttl-attribute"],
    replicas: (values.replicas ?? "").split(",").map((region) => region.trim()).filter((region) => region !== ""),
    consistency: parseConsistency(values.consistency),
    witnessRegion: values["witness-region"],
    dryRun: values["dry-run"] === true,
  };
}

const loopbackHosts = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Placeholder credentials for DynamoDB Local, which accepts any key but still needs one to sign requests. */
const loopbackCredentials = { accessKeyId: "local", secretAccessKey: "local" } as const;

/**
 * Builds the DynamoDB client configuration from the flags and environment.
 * Credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and
 * AWS_SESSION_TOKEN) when both are set and AWS_PROFILE is not, which is the
 * order the SDK's own chain uses. Otherwise a loopback `--endpoint` gets
 * placeholder credentials, so DynamoDB Local works without AWS credentials,
 * and any other endpoint leaves credentials to the SDK's default chain.
 */
export function buildClientConfig(args: Pick<CliArguments, "region" | "endpoint">, env: Readonly<Record<string, string | undefined>>): DynamoDBClientConfig {
  const config: DynamoDBClientConfig = {};
  const region = args.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (region !== undefined) config.region = region;
  if (args.endpoint !== undefined) config.endpoint = args.endpoint;

  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  const sessionToken = env.AWS_SESSION_TOKEN;

  if (accessKeyId && secretAccessKey && !env.AWS_PROFILE) {
    config.credentials = sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
  } else if (args.endpoint !== undefined && loopbackHosts.has(new URL(args.endpoint).hostname)) {
    config.credentials = loopbackCredentials;
  }

  return config;
}
