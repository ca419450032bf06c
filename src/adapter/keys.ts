import type { ResolvedTableOptions } from "../table-options.js";

/**
 * Key prefixes. `USER#`, `ACCOUNT#`, `SESSION#`, `VT#` and the index values
 * match the official adapter, so tables it wrote read unchanged. `EMAIL#`,
 * `LINK#` and `AUTHENTICATOR#` items are this package's own look-up items.
 */
export const keyPrefix = {
  user: "USER#",
  account: "ACCOUNT#",
  accountLink: "LINK#",
  email: "EMAIL#",
  session: "SESSION#",
  verificationToken: "VT#",
  legacyVerificationRequest: "VR#",
  authenticator: "AUTHENTICATOR#",
} as const;

export type Key = Record<string, string>;

function key(names: ResolvedTableOptions, partition: string, sort: string = partition): Key {
  return { [names.partitionKey]: partition, [names.sortKey]: sort };
}

/** The user item: `USER#<id>` in both keys. */
export const userKey = (names: ResolvedTableOptions, userId: string) => key(names, `${keyPrefix.user}${userId}`);

/** The email look-up item that makes an email address unique and finds its user with a consistent read. */
export const emailKey = (names: ResolvedTableOptions, email: string) => key(names, `${keyPrefix.email}${email}`);

/** The account item, under its user's partition as the official adapter writes it. */
export const accountKey = (names: ResolvedTableOptions, userId: string, provider: string, providerAccountId: string) =>
  key(names, `${keyPrefix.user}${userId}`, `${keyPrefix.account}${provider}#${providerAccountId}`);

/** The account link item that makes a provider account unique and finds its user with a consistent read. */
export const accountLinkKey = (names: ResolvedTableOptions, provider: string, providerAccountId: string) =>
  key(names, `${keyPrefix.accountLink}${provider}#${providerAccountId}`);

/** The session item, found by its token alone so a look-up needs no index. */
export const sessionKey = (names: ResolvedTableOptions, sessionToken: string) => key(names, `${keyPrefix.session}${sessionToken}`);

/** The session's entry under its user's partition, read only to find every session of a user. */
export const sessionMembershipKey = (names: ResolvedTableOptions, userId: string, sessionToken: string) =>
  key(names, `${keyPrefix.user}${userId}`, `${keyPrefix.session}${sessionToken}`);

export const verificationTokenKey = (names: ResolvedTableOptions, identifier: string, token: string) =>
  key(names, `${keyPrefix.verificationToken}${identifier}`, `${keyPrefix.verificationToken}${token}`);

/** Verification requests as next-auth v3's DynamoDB adapter stored them. */
export const legacyVerificationRequestKey = (names: ResolvedTableOptions, identifier: string, token: string) =>
  key(names, `${keyPrefix.legacyVerificationRequest}${identifier}`, `${keyPrefix.legacyVerificationRequest}${token}`);

/** The authenticator item, under its user's partition so one query lists a user's authenticators. */
export const authenticatorKey = (names: ResolvedTableOptions, userId: string, credentialID: string) =>
  key(names, `${keyPrefix.user}${userId}`, `${keyPrefix.authenticator}${credentialID}`);

/** The authenticator look-up item: credential ID to user ID. Never changes after it is written. */
export const authenticatorLinkKey = (names: ResolvedTableOptions, credentialID: string) => key(names, `${keyPrefix.authenticator}${credentialID}`);

/** Index values the official adapter writes; this package writes them on users and accounts too, so it can switch back. */
export const indexValues = {
  user: (email: string) => ({ partition: `${keyPrefix.user}${email}`, sort: `${keyPrefix.user}${email}` }),
  account: (provider: string, providerAccountId: string) => ({
    partition: `${keyPrefix.account}${provider}`,
    sort: `${keyPrefix.account}${providerAccountId}`,
  }),
  session: (sessionToken: string) => ({ partition: `${keyPrefix.session}${sessionToken}`, sort: `${keyPrefix.session}${sessionToken}` }),
};

/** The item type markers the official adapter writes in `type`; other `type` values belong to the stored object (an account's type). */
export const itemType = {
  user: "USER",
  session: "SESSION",
  verificationToken: "VT",
  email: "EMAIL",
  accountLink: "LINK",
  authenticator: "AUTHENTICATOR",
  authenticatorLink: "AUTHENTICATOR_LINK",
  legacyVerificationRequest: "VR",
} as const;

export const itemTypeMarkers: ReadonlySet<string> = new Set(Object.values(itemType));

/**
 * Age in milliseconds after which an email or account link item whose user
 * or account item is missing counts as left behind by a crash. Younger ones
 * may belong to a sign-up that is still writing, so they are never taken
 * over. Only strong-consistency mode, which has no transactions, needs it.
 */
export const staleClaimMs = 60_000;

/** True when a look-up item was written at least {@link staleClaimMs} before `nowMs`. */
export function isStaleClaim(item: Record<string, unknown> | undefined, nowMs: number): boolean {
  const claimedAt = item?.claimedAt;
  return typeof claimedAt === "number" && nowMs - claimedAt >= staleClaimMs;
}
