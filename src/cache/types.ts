import type { AdapterSession, AdapterUser } from "@auth/core/adapters";

/** The result of Auth.js's `getSessionAndUser`: a session and the user it belongs to. */
export interface SessionAndUser {
  session: AdapterSession;
  user: AdapterUser;
}

/** Source of the current time. The adapter passes its own clock, and tests inject a fake one. */
export interface Clock {
  /** Current time in epoch milliseconds. */
  now(): number;
}

/** Reads that the cache calls on a miss or a refresh. Each one sends DynamoDB requests. */
export interface CacheLoaders {
  /** Reads a session and its user, or returns `null` when either is missing or the session has expired. */
  loadSessionAndUser(sessionToken: string): Promise<SessionAndUser | null>;
  /** Reads a user, or returns `null` when it does not exist. */
  loadUser(userId: string): Promise<AdapterUser | null>;
}
