import { afterAll, beforeAll, inject } from "vitest";
import { DynamoDBAdapter, generateSessionToken, type DynamoDBAdapterOptions } from "../../src/index.js";
import type { TableOptions } from "../../src/table-options.js";
import type { AdapterUser } from "@auth/core/adapters";
import type { FullAdapter } from "./adapter-table.js";
import { newUser, testClock } from "./fixtures.js";
import { startGlobalTable, type GlobalTable } from "./global-table/index.js";

export const east = "us-east-1";
export const west = "eu-west-1";
export const south = "ap-southeast-2";

/** Retries short enough for tests; the bound still applies. */
export const testRetry = { retries: 4, minTimeout: 2, maxTimeout: 20, maxRetryTime: 2000 } as const;

/**
 * Starts an emulated global table for the enclosing `describe` and builds
 * adapters that run "in" one region: the local client is that region's, and
 * every other region is reached as a remote caller would reach it.
 */
export function useGlobalTable(regions: readonly string[], layout: TableOptions = {}) {
  let table: GlobalTable | undefined;

  beforeAll(async () => {
    table = await startGlobalTable({ endpoint: inject("dynamoEndpoint"), regions, table: layout });
  });

  afterAll(async () => {
    await table?.stop();
  });

  const current = (): GlobalTable => {
    if (table === undefined) throw new Error("The global table is not ready; use it inside a test or hook.");
    return table;
  };

  return {
    table: current,
    /** Builds an adapter that runs in `region`; the primary region is the first of `regions`. */
    adapterIn(region: string, options: DynamoDBAdapterOptions = {}): FullAdapter {
      const global = current();
      return DynamoDBAdapter(global.documentClient(region, { caller: region }), {
        ...layout,
        tableName: global.tableName,
        cache: false,
        retry: testRetry,
        ...options,
        global: {
          regions,
          localRegion: region,
          primaryRegion: regions[0] as string,
          createClient: (target) => global.documentClient(target, { caller: region }),
          ...options.global,
        },
      }) as FullAdapter;
    },
    tokenIn: (region: string) => generateSessionToken(region),
    /** Creates a user in the primary region and waits until every region has it. */
    async userEverywhere(): Promise<AdapterUser> {
      const global = current();
      const user = await this.adapterIn(regions[0] as string, { clock: testClock() }).createUser(newUser());
      await global.flush();
      return user;
    },
  };
}
