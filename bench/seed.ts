import { randomUUID } from "node:crypto";
import type { SessionAdapter } from "./adapters.js";

/** Users and session tokens one adapter wrote, in the order the writes completed. */
export interface SeededSessions {
  readonly userIds: string[];
  readonly tokens: string[];
}

export function createSeededSessions(): SeededSessions {
  return { userIds: [], tokens: [] };
}

export interface SeedRequest {
  /** Prefix of the seeded e-mail addresses, unique per adapter and run so no two users share one. */
  readonly emailPrefix: string;
  readonly users: number;
  readonly sessions: number;
  /** Writes in flight at once. */
  readonly concurrency: number;
  /** Session tokens; Auth.js's own default (a random UUID) unless given. */
  readonly generateSessionToken?: () => string;
}

/** Auth.js's default session maxAge, so seeded sessions look like real ones and never expire during a run. */
export const sessionLifetimeMs = 30 * 24 * 60 * 60 * 1000;

/** Runs `task(0..count-1)` with at most `concurrency` calls in flight. */
export async function runConcurrently(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;

  const worker = async () => {
    while (next < count) {
      const index = next;
      next += 1;
      await task(index);
    }
  };

  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/**
 * Creates `users` users and `sessions` sessions through the adapter itself,
 * so each adapter reads items in its own layout, and appends their ids and
 * tokens to `seeded` as each write succeeds. After a failure `seeded` still
 * lists what was written, so a run against AWS can delete it. Sessions are
 * spread evenly over the users.
 */
export async function seedSessions(adapter: SessionAdapter, request: SeedRequest, seeded: SeededSessions): Promise<void> {
  const generateSessionToken = request.generateSessionToken ?? randomUUID;

  await runConcurrently(request.users, request.concurrency, async (index) => {
    const user = await adapter.createUser({ id: randomUUID(), email: `${request.emailPrefix}-${index}@example.com`, emailVerified: null, name: `Bench user ${index}` });
    seeded.userIds.push(user.id);
  });

  const expires = new Date(Date.now() + sessionLifetimeMs);
  const userIds = [...seeded.userIds];

  await runConcurrently(request.sessions, request.concurrency, async (index) => {
    const session = await adapter.createSession({ sessionToken: generateSessionToken(), userId: userIds[index % userIds.length] as string, expires });
    seeded.tokens.push(session.sessionToken);
  });
}

/** Deletes seeded users with every item that belongs to them. */
export async function removeSeededUsers(adapter: SessionAdapter, seeded: SeededSessions, concurrency: number): Promise<void> {
  await runConcurrently(seeded.userIds.length, concurrency, async (index) => {
    const userId = seeded.userIds[index];
    if (userId !== undefined) await adapter.deleteUser(userId);
  });
}
