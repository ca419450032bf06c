import type { Adapter } from "@auth/core/adapters";
import { DynamoDBAdapter as OfficialDynamoDBAdapter } from "@auth/dynamodb-adapter";
import type { DynamoDBDocument } from "@aws-sdk/lib-dynamodb";
import { DynamoDBAdapter, type CacheOptions, type Clock, type DynamoDBAdapterOptions, type GlobalOptions } from "../src/index.js";

/** The Auth.js adapter methods the benchmark calls. */
export type SessionAdapter = Required<Pick<Adapter, "createUser" | "createSession" | "getSessionAndUser" | "deleteUser">>;

/** Cache settings of our adapter; `false` turns the cache off and `undefined` keeps its defaults. */
export type CacheSetting = false | CacheOptions | undefined;

function requireSessionMethods(adapter: Adapter, name: string): SessionAdapter {
  const { createUser, createSession, getSessionAndUser, deleteUser } = adapter;

  if (createUser === undefined || createSession === undefined || getSessionAndUser === undefined || deleteUser === undefined) {
    throw new Error(`${name} lacks createUser, createSession, getSessionAndUser or deleteUser.`);
  }

  return { createUser, createSession, getSessionAndUser, deleteUser };
}

/** Builds `@auth/dynamodb-adapter` on the default key names. */
export function createOfficialAdapter(document: DynamoDBDocument, tableName: string): SessionAdapter {
  return requireSessionMethods(OfficialDynamoDBAdapter(document, { tableName }), "@auth/dynamodb-adapter");
}

/** Builds this package's adapter with the given cache setting, in global mode when `global` is given. */
export function createOurAdapter(document: DynamoDBDocument, tableName: string, cache: CacheSetting, global?: GlobalOptions, clock?: Clock): SessionAdapter {
  const options: DynamoDBAdapterOptions = {
    tableName,
    ...(cache === undefined ? {} : { cache }),
    ...(global === undefined ? {} : { global }),
    ...(clock === undefined ? {} : { clock }),
  };

  return requireSessionMethods(DynamoDBAdapter(document, options), "authjs-dynamodb-global");
}
