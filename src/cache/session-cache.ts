import type { AdapterUser } from "@auth/core/adapters";
import { LRUCache } from "lru-cache";
import { deepClone } from "./clone.js";
import { eventKey, type CacheEntity, type CacheEvent, type CacheEventListener } from "./events.js";
import type { ResolvedCacheOptions } from "./options.js";
import { classifyRead, planRead, type ReadPlan } from "./read-plan.js";
import { sameData } from "./equal.js";
import { createRecord, sessionUserIds, toSessionAndUser, type CacheRecord, type LoadResult, type SessionRecord } from "./record.js";
import type { CacheLoaders, Clock, SessionAndUser } from "./types.js";

/** Per-call data that lru-cache hands to the fetch method of the call that starts a load. */
interface ReadContext {
  readonly entity: CacheEntity;
  readonly id: string;
  calledLoader: boolean;
}

type RecordCache = LRUCache<string, CacheRecord, ReadContext>;
type FetchMethodOptions = LRUCache.FetcherFetchOptions<string, CacheRecord, ReadContext>;

const sessionKeyPrefix = "s:";
const userKeyPrefix = "u:";

/**
 * In-process cache of `getSessionAndUser` and `getUser` results, built on
 * lru-cache 11. It stores records, bounds them by count and estimated bytes,
 * expires them after the TTL or at the session's `expires`, coalesces
 * concurrent loads of one key into one loader call, and serves stale records
 * only within the configured windows.
 *
 * Invalidation is local: `deleteSession` and `deleteUser` drop this process's
 * copies, and another process reads the change from DynamoDB when its own
 * copy reaches its TTL. Every returned value is a deep copy.
 */
export class SessionCache {
  readonly #options: ResolvedCacheOptions;
  readonly #loaders: CacheLoaders;
  readonly #clock: Clock;
  readonly #emit: CacheEventListener | undefined;
  readonly #records: RecordCache;

  /**
   * Keys of the cached session records of each user id, kept in step by
   * lru-cache's onInsert and dispose. A user with one cached session, the
   * common case, maps to the key itself, because a Set costs about 250 bytes.
   */
  readonly #sessionKeysByUser = new Map<string, string | Set<string>>();

  /**
   * One stored copy of each user shared by that user's cached sessions, with
   * the number of records using it. Stored values are never mutated and every
   * read returns a deep copy, so sharing is invisible to callers.
   */
  readonly #sharedUsers = new Map<string, { user: AdapterUser; records: number }>();

  /** Incremented by `deleteUser` and `clear`, so that a load that was in flight then is not stored. */
  #invalidations = 0;

  /**
   * @param options Resolved options, from `resolveCacheOptions`.
   * @param loaders DynamoDB reads that fill the cache.
   * @param clock Time source for TTLs and session expiry.
   * @param emit Optional listener. Without one no event object or digest is built.
   */
  constructor(options: ResolvedCacheOptions, loaders: CacheLoaders, clock: Clock, emit?: CacheEventListener) {
    this.#options = options;
    this.#loaders = loaders;
    this.#clock = clock;
    this.#emit = emit;
    this.#records = this.#createRecordCache();
  }

  /** Number of entries, including loads in flight. */
  get size(): number {
    return this.#records.size;
  }

  /** Sum of the estimated sizes of all entries in bytes; at most `maxSize`. */
  get calculatedSize(): number {
    return this.#records.calculatedSize;
  }

  /** Returns a copy of the session and its user, from the cache or from the loader. */
  async getSessionAndUser(sessionToken: string): Promise<SessionAndUser | null> {
    const record = await this.#read("session", sessionToken);
    return record.entity === "session" && record.value !== null ? toSessionAndUser(record.value, record.expiresAt) : null;
  }

  /** Returns a copy of the user, from the cache or from the loader. */
  async getUser(userId: string): Promise<AdapterUser | null> {
    const record = await this.#read("user", userId);
    return record.entity === "user" ? deepClone(record.value) : null;
  }

  /** Drops the cached session. A load of it that is in flight is not stored. */
  deleteSession(sessionToken: string): void {
    this.#records.delete(sessionKeyPrefix + sessionToken);
  }

  /**
   * Drops the cached user and every cached session of that user, because
   * each session record contains a copy of the user. Loads in flight at this
   * moment are not stored.
   */
  deleteUser(userId: string): void {
    this.#invalidations++;
    this.#records.delete(userKeyPrefix + userId);

    // dispose removes keys from this set while the loop deletes them, so iterate over a copy.
    const indexed = this.#sessionKeysByUser.get(userId);
    let sessionKeys: string[] = [];
    if (typeof indexed === "string") sessionKeys = [indexed];
    else if (indexed !== undefined) sessionKeys = Array.from(indexed);
    for (const key of sessionKeys) this.#records.delete(key);
  }

  /** Drops every entry. Loads in flight at this moment are not stored. */
  clear(): void {
    this.#invalidations++;
    this.#records.clear();
    this.#sessionKeysByUser.clear();
    this.#sharedUsers.clear();
  }

  #createRecordCache(): RecordCache {
    const { ttl, max, maxSize } = this.#options;
    const clock = this.#clock;

    // lru-cache 11 treats an entry whose start time is 0 as having no TTL, so the times passed to it start at 1.
    const origin = clock.now();

    return new LRUCache<string, CacheRecord, ReadContext>({
      ttl,
      max,
      maxSize,
      perf: { now: () => clock.now() - origin + 1 },
      // The default of 1 memoizes the time for 1 ms behind a timer, which would hide the injected clock's steps.
      ttlResolution: 0,
      // A size above maxSize makes lru-cache drop a record instead of storing it, and the load still resolves with it.
      sizeCalculation: (record) => (record.storable ? record.size : maxSize + 1),
      fetchMethod: (key, stale, { options, context }) => this.#load(key, stale, options, context),
      // A stale record stays until a reload replaces it, because staleIfError may still need it.
      noDeleteOnStaleGet: true,
      // When an entry is deleted during its load, callers already waiting get the load's result, which is not stored.
      ignoreFetchAbort: true,
      onInsert: (record, key) => this.#index(record, key),
      dispose: (record, key, reason) => this.#onDispose(record, key, reason),
    });
  }

  async #read(entity: CacheEntity, id: string): Promise<CacheRecord> {
    const key = (entity === "session" ? sessionKeyPrefix : userKeyPrefix) + id;
    const now = this.#clock.now();
    const remainingTtl = this.#records.getRemainingTTL(key);

    if (remainingTtl > 0) {
      const fresh = this.#records.get(key);
      if (fresh !== undefined && now < fresh.expiresAt) {
        this.#report("hit", entity, id);
        return fresh;
      }
    }

    const cached = this.#records.peek(key, { allowStale: true });
    const plan = planRead(cached, remainingTtl, now, this.#options);
    if (plan.kind === "load" && plan.expired) this.#report("expire", entity, id);

    const record = await this.#fetch(key, entity, id, cached, plan);

    // A load can finish after the session's expires, and Auth.js must not receive an expired session.
    if (record.value !== null && !(this.#clock.now() < record.expiresAt)) {
      return { ...record, value: null };
    }

    return record;
  }

  async #fetch(key: string, entity: CacheEntity, id: string, cached: CacheRecord | undefined, plan: ReadPlan): Promise<CacheRecord> {
    const context: ReadContext = { entity, id, calledLoader: false };
    const serveStale = plan.kind === "revalidate";
    const staleIfError = plan.kind !== "fresh" && plan.staleIfError;

    let record: CacheRecord | undefined;
    try {
      record = await this.#records.fetch(key, {
        context,
        forceRefresh: plan.kind !== "fresh",
        allowStale: serveStale,
        allowStaleOnFetchRejection: staleIfError,
      });
    } catch (error) {
      this.#report(context.calledLoader ? "miss" : "coalesced", entity, id);
      throw error;
    }

    this.#report(classifyRead(plan, cached, record, context.calledLoader), entity, id);

    // With the options above lru-cache resolves every awaited fetch with a record. Should a later
    // version resolve undefined, reading without the cache is right where returning null would not be.
    return record ?? (await this.#loadUncached(key, entity, id));
  }

  async #load(key: string, stale: CacheRecord | undefined, options: FetchMethodOptions, context: ReadContext): Promise<CacheRecord> {
    context.calledLoader = true;
    const invalidationsAtStart = this.#invalidations;

    let result: LoadResult;
    try {
      result = await this.#callLoader(context.entity, context.id);
    } catch (error) {
      if (stale !== undefined) this.#report("refresh-error", context.entity, context.id);
      throw error;
    }

    const keep = invalidationsAtStart === this.#invalidations;
    const loaded = createRecord(key, result, this.#clock.now(), this.#options.ttl, keep);

    // lru-cache stores the fetch result with these options, so this sets the new entry's TTL.
    options.ttl = loaded.ttl;
    return loaded.record;
  }

  async #loadUncached(key: string, entity: CacheEntity, id: string): Promise<CacheRecord> {
    const result = await this.#callLoader(entity, id);
    return createRecord(key, result, this.#clock.now(), this.#options.ttl, false).record;
  }

  async #callLoader(entity: CacheEntity, id: string): Promise<LoadResult> {
    if (entity === "session") return { entity, value: await this.#loaders.loadSessionAndUser(id) };

    return { entity, value: await this.#loaders.loadUser(id) };
  }

  #index(record: CacheRecord, key: string): void {
    if (record.entity !== "session") return;
    this.#shareUser(record);

    for (const userId of sessionUserIds(record)) {
      const keys = this.#sessionKeysByUser.get(userId);
      if (keys === undefined || keys === key) this.#sessionKeysByUser.set(userId, key);
      else if (typeof keys === "string") this.#sessionKeysByUser.set(userId, new Set([keys, key]));
      else keys.add(key);
    }
  }

  #onDispose(record: CacheRecord, key: string, reason: LRUCache.DisposeReason): void {
    // Both key prefixes have the same length.
    if (reason === "evict") this.#report("evict", record.entity, key.slice(sessionKeyPrefix.length));

    if (record.entity !== "session") return;
    this.#releaseUser(record);

    for (const userId of sessionUserIds(record)) {
      const keys = this.#sessionKeysByUser.get(userId);
      if (keys === key) {
        this.#sessionKeysByUser.delete(userId);
      } else if (typeof keys !== "string" && keys !== undefined) {
        keys.delete(key);
        if (keys.size === 0) this.#sessionKeysByUser.delete(userId);
      }
    }
  }

  /** Points a new session record at the shared copy of its user when the data is the same, or makes its user the shared copy. */
  #shareUser(record: SessionRecord): void {
    if (record.value === null) return;

    const { user } = record.value;
    const shared = this.#sharedUsers.get(user.id);

    if (shared === undefined || shared.records === 0) {
      this.#sharedUsers.set(user.id, { user, records: 1 });
    } else if (shared.user === user || sameData(shared.user, user)) {
      record.value.user = shared.user;
      shared.records++;
    }
  }

  #releaseUser(record: SessionRecord): void {
    if (record.value === null) return;

    const shared = this.#sharedUsers.get(record.value.user.id);
    if (shared === undefined || shared.user !== record.value.user) return;

    shared.records--;
    if (shared.records === 0) this.#sharedUsers.delete(record.value.user.id);
  }

  #report(type: CacheEvent["type"], entity: CacheEntity, id: string): void {
    const emit = this.#emit;
    if (emit === undefined) return;

    // Events run inside lru-cache callbacks and background refreshes, where an error would corrupt the
    // cache or reject a promise that no caller awaits. A metrics listener must not fail a session lookup either.
    try {
      emit({ type, entity, key: eventKey(entity, id) });
    } catch {
      // The listener's error is dropped on purpose.
    }
  }
}
