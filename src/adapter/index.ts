import type { Adapter, AdapterAccount, AdapterAuthenticator, AdapterSession, AdapterUser, VerificationToken } from "@auth/core/adapters";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { SessionCache, resolveCacheOptions, type CacheEvent } from "../cache/index.js";
import { InvalidOptionError } from "../errors/index.js";
import { resolveGlobalOptions } from "../regions/options.js";
import { maxSessionTokenBytes } from "../regions/session-token.js";
import { resolveRetryOptions } from "../regions/retry.js";
import { resolveTableOptions } from "../table-options.js";
import { optionalObject, rejectUnknownKeys } from "../validate.js";
import * as accounts from "./accounts.js";
import * as authenticators from "./authenticators.js";
import { createContext, singleRegion, type AdapterContext, type Clock } from "./context.js";
import { deleteUser } from "./delete-user.js";
import type { EventListener } from "./events.js";
import { adapterOptionKeys, assertDocumentClient, type DynamoDBAdapterOptions } from "./options.js";
import * as sessions from "./sessions.js";
import * as users from "./users.js";
import * as verificationTokens from "./verification-tokens.js";

const systemClock: Clock = { now: () => Date.now() };

/** Validates every option before any request and builds the shared context. */
function buildContext(client: unknown, options: DynamoDBAdapterOptions | undefined): { ctx: AdapterContext; cache: SessionCache | undefined } {
  assertDocumentClient("client", client);
  const raw = optionalObject("options", options) ?? {};
  rejectUnknownKeys("", raw, adapterOptionKeys);

  const names = resolveTableOptions(raw);
  const retry = resolveRetryOptions(raw.retry);
  const clock = (raw.clock as Clock | undefined) ?? systemClock;
  if (typeof clock.now !== "function") throw new InvalidOptionError("clock", clock, "an object with a now() method returning epoch milliseconds");

  const legacyLookups = raw.legacyLookups ?? true;
  if (typeof legacyLookups !== "boolean") throw new InvalidOptionError("legacyLookups", legacyLookups, "true or false");

  const listener = raw.onEvent as EventListener | undefined;
  if (listener !== undefined && typeof listener !== "function") throw new InvalidOptionError("onEvent", listener, "a function that receives adapter events");

  // A failing metrics listener must not fail a sign-in or a session look-up.
  const emit: EventListener | undefined =
    listener === undefined
      ? undefined
      : (event) => {
          try {
            listener(event);
          } catch {
            // Ignored on purpose: the adapter logs nothing, and the listener owns its errors.
          }
        };

  const cacheOptions = resolveCacheOptions(raw.cache);
  const global = resolveGlobalOptions(raw.global, client, assertDocumentClient);

  // In strong consistency every region's conditions are global, so identity items are written locally too.
  let primaryRegion = singleRegion;
  if (global !== undefined) primaryRegion = global.consistency === "strong" ? global.localRegion : global.primaryRegion;

  const ctx = createContext({
    names,
    clock,
    retry,
    legacyLookups,
    emit,
    clients: global?.clients ?? new Map([[singleRegion, client as DynamoDBDocumentClient]]),
    global: global !== undefined,
    consistency: global?.consistency ?? "eventual",
    localRegion: global?.localRegion ?? singleRegion,
    primaryRegion,
    recentWriteWindow: global?.recentWriteWindow ?? 0,
  });

  const cache =
    cacheOptions === false
      ? undefined
      : new SessionCache(
          cacheOptions,
          {
            loadSessionAndUser: (sessionToken) => sessions.getSessionAndUser(ctx, sessionToken),
            loadUser: (userId) => users.getUser(ctx, userId),
          },
          clock,
          emit === undefined ? undefined : (event: CacheEvent) => emit({ type: "cache", action: event.type, entity: event.entity, key: event.key }),
        );

  return { ctx, cache };
}

/**
 * Builds the Auth.js adapter over a DynamoDB table. Drop-in for the official
 * `@auth/dynamodb-adapter`: same client argument, same options, and it reads
 * every item the official adapter wrote.
 *
 * @param client a `DynamoDBDocument` or `DynamoDBDocumentClient` (the local
 *   region's client in global mode)
 * @throws InvalidOptionError when the client or an option is invalid; no request is sent before that check
 */
export function DynamoDBAdapter(client: DynamoDBDocumentClient, options?: DynamoDBAdapterOptions): Adapter {
  const { ctx, cache } = buildContext(client, options);

  return {
    createUser: (user) => users.createUser(ctx, user as unknown as Record<string, unknown>),
    getUser: (id) => (cache === undefined ? users.getUser(ctx, id) : cache.getUser(id)),
    getUserByEmail: (email) => users.getUserByEmail(ctx, email),
    getUserByAccount: (reference) => accounts.getUserByAccount(ctx, reference),
    async updateUser(user): Promise<AdapterUser> {
      try {
        return await users.updateUser(ctx, user);
      } finally {
        cache?.deleteUser(user.id);
      }
    },
    async deleteUser(userId): Promise<AdapterUser | null> {
      try {
        return await deleteUser(ctx, userId);
      } finally {
        cache?.deleteUser(userId);
      }
    },
    linkAccount: (account: AdapterAccount) => accounts.linkAccount(ctx, account),
    async unlinkAccount(reference): Promise<AdapterAccount | undefined> {
      const account = await accounts.unlinkAccount(ctx, reference);
      if (typeof account?.userId === "string") cache?.deleteUser(account.userId);
      return account;
    },
    getAccount: (providerAccountId, provider) => accounts.getAccount(ctx, providerAccountId, provider),
    createSession: (session) => sessions.createSession(ctx, session),
    getSessionAndUser(sessionToken) {
      if (cache === undefined) return sessions.getSessionAndUser(ctx, sessionToken);

      // An empty or oversized token (a forged cookie, say) must not become a cache key. The
      // loader classifies the rest, so a cache hit costs no pattern match.
      if (typeof sessionToken !== "string" || sessionToken.length === 0 || sessionToken.length > maxSessionTokenBytes) return Promise.resolve(null);
      return cache.getSessionAndUser(sessionToken);
    },
    async updateSession(session): Promise<AdapterSession | null> {
      try {
        return await sessions.updateSession(ctx, session);
      } finally {
        cache?.deleteSession(session.sessionToken);
      }
    },
    async deleteSession(sessionToken): Promise<AdapterSession | null> {
      try {
        return await sessions.deleteSession(ctx, sessionToken);
      } finally {
        cache?.deleteSession(sessionToken);
      }
    },
    createVerificationToken: (token: VerificationToken) => verificationTokens.createVerificationToken(ctx, token),
    useVerificationToken: (params) => verificationTokens.useVerificationToken(ctx, params),
    createAuthenticator: (authenticator: AdapterAuthenticator) => authenticators.createAuthenticator(ctx, authenticator),
    getAuthenticator: (credentialID) => authenticators.getAuthenticator(ctx, credentialID),
    listAuthenticatorsByUserId: (userId) => authenticators.listAuthenticatorsByUserId(ctx, userId),
    updateAuthenticatorCounter: (credentialID, newCounter) => authenticators.updateAuthenticatorCounter(ctx, credentialID, newCounter),
  };
}
