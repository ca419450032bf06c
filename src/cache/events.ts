import { createHash } from "node:crypto";

/** Kind of cached record: a session with its user, or a user alone. */
export type CacheEntity = "session" | "user";

/**
 * Something the cache did, passed to the listener given to `SessionCache`.
 *
 * Every `getSessionAndUser` or `getUser` call reports exactly one of:
 * - `hit`: a fresh cached copy was returned.
 * - `stale`: a copy past its TTL was returned, during a `staleWhileRevalidate`
 *   refresh or after a failed reload within `staleIfError`.
 * - `miss`: the call read DynamoDB through the loader.
 * - `coalesced`: the call waited for a load that another call had started.
 *
 * These describe entries and loads and come in addition:
 * - `expire`: the cached copy reached its TTL or its session's `expires`, so
 *   the call had to reload it.
 * - `evict`: lru-cache removed the least recently used entry to stay within
 *   `max` or `maxSize`.
 * - `refresh-error`: the loader failed while reloading a cached copy.
 *
 * `key` is the user id for users. For sessions it is a digest of the session
 * token (see {@link digestSessionToken}), never the token.
 */
export interface CacheEvent {
  readonly type: "hit" | "miss" | "stale" | "coalesced" | "evict" | "expire" | "refresh-error";
  readonly entity: CacheEntity;
  readonly key: string;
}

/**
 * Listener for cache events. It runs synchronously inside cache calls, so it
 * should only count or enqueue. Errors it throws are ignored.
 */
export type CacheEventListener = (event: CacheEvent) => void;

/**
 * Returns the first 12 hex characters (48 bits) of the SHA-256 digest of a
 * session token. It lets logs and metrics correlate the events of one session
 * without revealing a token that would let a reader sign in as its user.
 */
export function digestSessionToken(sessionToken: string): string {
  return createHash("sha256").update(sessionToken).digest("hex").slice(0, 12);
}

/** Returns the key that an event shows for an entity id: a digest for session tokens, the id for users. */
export function eventKey(entity: CacheEntity, id: string): string {
  return entity === "session" ? digestSessionToken(id) : id;
}
