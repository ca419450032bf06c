import type { AdapterUser } from "@auth/core/adapters";
import { deepClone } from "./clone.js";
import { estimateEntryBytes } from "./size.js";
import type { SessionAndUser } from "./types.js";

interface RecordBase {
  /** Time in epoch milliseconds at which the session expires; `Infinity` for users. */
  readonly expiresAt: number;
  /** Estimated heap bytes of the entry, used as its lru-cache size. */
  readonly size: number;
  /** Whether lru-cache may keep the record. A record that must not be kept is still returned to the callers of its load. */
  readonly storable: boolean;
}

/**
 * A session look-up result as the cache stores it. The session's `expires`
 * lives only in `expiresAt`, as a number, because a `Date` costs about 90
 * heap bytes per entry. Reads put a new `Date` back.
 */
export interface SessionRecord extends RecordBase {
  readonly entity: "session";
  readonly value: StoredSessionAndUser | null;
}

/** A session and its user without the session's `expires`. */
export interface StoredSessionAndUser {
  session: Omit<SessionAndUser["session"], "expires">;
  user: AdapterUser;
}

/** A user lookup result as the cache stores it. */
export interface UserRecord extends RecordBase {
  readonly entity: "user";
  readonly value: AdapterUser | null;
}

/** The value type of the lru-cache: one loader result with the data that decides how long it may be served. */
export type CacheRecord = SessionRecord | UserRecord;

/** A loader result, tagged with the kind of lookup. */
export type LoadResult =
  | { readonly entity: "session"; readonly value: SessionAndUser | null }
  | { readonly entity: "user"; readonly value: AdapterUser | null };

/** A record with the lru-cache TTL that it gets when it is stored. */
export interface LoadedRecord {
  readonly record: CacheRecord;
  /** Milliseconds that the record may be served as fresh: the cache TTL, cut short by the session's `expires`. */
  readonly ttl: number;
}

/**
 * Wraps a loader result that arrived at `now` in a record. The value is
 * copied, so that a loader that keeps a reference to what it returned cannot
 * change the cache. The record is storable unless `keep` is false, the result
 * is `null`, or the session expires within a millisecond (or has an invalid
 * `expires`).
 */
export function createRecord(key: string, result: LoadResult, now: number, ttl: number, keep: boolean): LoadedRecord {
  if (result.entity === "user") {
    const user = result.value === null ? null : deepClone(result.value);
    const size = estimateEntryBytes(key, user);
    const record: UserRecord = { entity: "user", value: user, expiresAt: Number.POSITIVE_INFINITY, size, storable: keep && user !== null };
    return { record, ttl };
  }

  const value = result.value === null ? null : toStored(deepClone(result.value));

  // The session's userId and the user's id are equal strings from two DynamoDB items; one copy is enough.
  if (value !== null && value.session.userId === value.user.id) value.session.userId = value.user.id;

  const size = estimateEntryBytes(key, value);
  const expiresAt = result.value === null ? Number.NEGATIVE_INFINITY : result.value.session.expires.getTime();
  const lifetime = Math.floor(Math.min(ttl, expiresAt - now));
  const storable = keep && value !== null && lifetime >= 1;

  // lru-cache rejects a TTL below 1, and a record that is not storable never uses it.
  const record: SessionRecord = { entity: "session", value, expiresAt, size, storable };
  return { record, ttl: storable ? lifetime : ttl };
}

function toStored(value: SessionAndUser): StoredSessionAndUser {
  const { expires: _expires, ...session } = value.session;
  return { session, user: value.user };
}

/** Builds the caller's copy of a stored session, with `expires` as a new `Date`. */
export function toSessionAndUser(value: StoredSessionAndUser, expiresAt: number): SessionAndUser {
  const session = deepClone(value.session) as SessionAndUser["session"];
  session.expires = new Date(expiresAt);
  return { session, user: deepClone(value.user) };
}

/**
 * Returns the user ids under which a session record is indexed, so that
 * `deleteUser` finds it. The embedded user's id and the session's
 * `userId` are the same in valid data, and both are returned when they differ.
 */
export function sessionUserIds(record: SessionRecord): readonly string[] {
  if (record.value === null) return [];

  const { session, user } = record.value;
  return session.userId === user.id ? [user.id] : [user.id, session.userId];
}
