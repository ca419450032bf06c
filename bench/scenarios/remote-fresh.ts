import { randomUUID } from "node:crypto";
import { generateSessionToken } from "../../src/index.js";
import { startGlobalTable } from "../../test/support/global-table/index.js";
import { createOfficialAdapter, createOurAdapter, type SessionAdapter } from "../adapters.js";
import { createRequestMeter, type RequestMeter } from "../middleware.js";
import { sessionLifetimeMs } from "../seed.js";
import type { Scenario, ScenarioContext, ScenarioId, ScenarioRunner } from "./scenario.js";

/** Region that creates each session. */
export const homeRegion = "us-east-1";
/** Region that reads the session at once, before replication could bring it. */
export const readerRegion = "eu-west-1";

/** The writer in the home region and the reader in the other one, for one adapter. */
interface AdapterPair {
  readonly writer: SessionAdapter;
  readonly reader: SessionAdapter;
  readonly generateSessionToken: () => string;
}

/** The replicated table of both regions and the request meter of every client that talks to it. */
interface RegionPair {
  readonly tableName: string;
  /**
   * Shared by both remote-fresh scenarios. That is safe because look-ups run
   * one at a time and each is measured by the meter's change across it.
   */
  readonly meter: RequestMeter;
  /** Lets replication run until everything written so far reached both regions, then pauses it again. */
  replicateAndPause(): Promise<void>;
}

// Replication is paused while look-ups run, so it needs no fast polling. A
// slow poll keeps the emulator's stream reads from loading DynamoDB Local
// during the measurements of every scenario.
const replicationPollMs = 250;

/**
 * Starts the global-table emulator over both region databases with
 * replication paused, and stops it when the run ends. The adapters get
 * their own instrumented clients, which write to the region databases
 * directly, and the emulator replicates whatever lands there.
 */
async function openRegionPair(context: ScenarioContext): Promise<RegionPair> {
  const endpoint = context.environment.localEndpoint;
  if (endpoint === undefined) throw new Error("remote-fresh needs DynamoDB Local, because it emulates the second region there.");

  const tableName = `${context.environment.tableName}-global`;
  const globalTable = await startGlobalTable({ endpoint, regions: [homeRegion, readerRegion], table: { tableName }, pollIntervalMs: replicationPollMs });
  globalTable.pause();
  context.onClose(() => globalTable.stop());

  return {
    tableName,
    meter: createRequestMeter(),
    async replicateAndPause() {
      globalTable.resume();
      await globalTable.flush();
      globalTable.pause();
    },
  };
}

function createOfficialPair(context: ScenarioContext, regions: RegionPair): AdapterPair {
  const { environment } = context;
  const { meter } = regions;

  return {
    writer: createOfficialAdapter(environment.createDocument(meter, { region: homeRegion }), regions.tableName),
    reader: createOfficialAdapter(environment.createDocument(meter, { region: readerRegion }), regions.tableName),
    generateSessionToken: randomUUID,
  };
}

/**
 * Our adapter in global mode on both sides. The reader runs in the reader
 * region. Its client for the home region is marked remote, so the fallback
 * read pays the simulated cross-region delay. Tokens name the home region,
 * as `generateSessionToken` makes them for a session created there.
 */
function createOurPair(context: ScenarioContext, regions: RegionPair): AdapterPair {
  const { environment } = context;
  const { meter } = regions;
  const regionNames = [homeRegion, readerRegion];
  const writerGlobal = { regions: regionNames, localRegion: homeRegion, clients: { [readerRegion]: environment.createDocument(meter, { region: readerRegion, distance: "remote" }) } };
  const readerGlobal = { regions: regionNames, localRegion: readerRegion, clients: { [homeRegion]: environment.createDocument(meter, { region: homeRegion, distance: "remote" }) } };

  return {
    writer: createOurAdapter(environment.createDocument(meter, { region: homeRegion }), regions.tableName, undefined, writerGlobal),
    reader: createOurAdapter(environment.createDocument(meter, { region: readerRegion }), regions.tableName, undefined, readerGlobal),
    generateSessionToken: () => generateSessionToken(homeRegion),
  };
}

async function setUpPair(context: ScenarioContext, regionPair: Promise<RegionPair>, id: ScenarioId): Promise<ScenarioRunner> {
  const regions = await regionPair;
  const pair = id === "remote-fresh" ? createOurPair(context, regions) : createOfficialPair(context, regions);

  // The user exists in both regions long before the session, as in real use.
  const user = await pair.writer.createUser({ id: randomUUID(), email: `${id}-${randomUUID()}@example.com`, emailVerified: null, name: id });
  await regions.replicateAndPause();

  let sessionToken = "";

  const prepare = async () => {
    sessionToken = pair.generateSessionToken();
    await pair.writer.createSession({ sessionToken, userId: user.id, expires: new Date(Date.now() + sessionLifetimeMs) });
  };
  const lookup = async () => (await pair.reader.getSessionAndUser(sessionToken)) !== null;

  return { meter: regions.meter, prepare, lookup };
}

/**
 * Builds `remote-fresh` (ours) and `remote-fresh-official`: each look-up
 * creates a session in us-east-1 (untimed) and reads it at once through
 * eu-west-1 (timed), while replication is paused, so `foundShare` shows which
 * adapter still finds it. Both share one emulated global table.
 */
export function createRemoteFreshScenarios(): readonly [Scenario, Scenario] {
  let regions: Promise<RegionPair> | undefined;
  const sharedRegions = (context: ScenarioContext) => {
    regions ??= openRegionPair(context);
    return regions;
  };

  return [
    {
      id: "remote-fresh",
      title: `ours, session created in ${homeRegion} and read at once in ${readerRegion}, replication paused`,
      usesCache: false,
      needsRegions: true,
      setUp: (context) => setUpPair(context, sharedRegions(context), "remote-fresh"),
    },
    {
      id: "remote-fresh-official",
      title: `@auth/dynamodb-adapter, same as remote-fresh`,
      usesCache: false,
      needsRegions: true,
      setUp: (context) => setUpPair(context, sharedRegions(context), "remote-fresh-official"),
    },
  ];
}
