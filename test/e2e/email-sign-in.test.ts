import { createHash } from "node:crypto";
import type { Adapter } from "@auth/core/adapters";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDBAdapter } from "../../src/index.js";
import { createTestTable, keyLayouts, type TestTable } from "../support/tables.js";
import { AuthClient, testOrigin } from "./support/auth-client.js";
import { createAuthHarness, testSecret, type AuthHarness } from "./support/auth-config.js";
import { keyOf, sessionTokensInKeys, userItems, withPartitionKey, withPartitionKeyPrefix, withSortKeyPrefix } from "./support/stored-items.js";

// Cookie names without the `__Secure-`/`__Host-` prefixes, because testOrigin is plain http.
const sessionCookie = "authjs.session-token";
const csrfCookie = "authjs.csrf-token";

const email = "alice@example.test";
const callbackUrl = `${testOrigin}/dashboard`;
const newName = "New Name";

/** The session object that Auth.js returns from `GET /auth/session` with its default `session` callback. */
interface SessionBody {
  readonly user?: { readonly name?: string; readonly email?: string };
  readonly expires?: string;
}

function createAdapter(table: TestTable): Adapter {
  return DynamoDBAdapter(table.document, table.names);
}

/** Hashes a verification token the way Auth.js does before it hands the token to the adapter. */
function hashVerificationToken(token: string): string {
  return createHash("sha256").update(`${token}${testSecret}`).digest("hex");
}

describe.each(keyLayouts)("email sign-in with $name", ({ options }) => {
  let table: TestTable;
  let adapter: Adapter;
  let harness: AuthHarness;
  let client: AuthClient;

  // Each step reads what the steps before it stored, so the tests run in order and share these.
  let csrfToken = "";
  let signInLink = "";
  let sessionToken = "";

  beforeAll(async () => {
    table = await createTestTable(options);
    adapter = createAdapter(table);
    harness = createAuthHarness(adapter);
    client = new AuthClient(harness.config);
  });

  afterAll(async () => {
    await table.drop();
  });

  it("csrf returns token and cookie", async () => {
    const response = await client.get("/auth/csrf");
    const body = (await response.json()) as { csrfToken?: unknown };

    expect(response.status).toBe(200);
    expect(typeof body.csrfToken).toBe("string");
    csrfToken = String(body.csrfToken);
    expect(csrfToken).not.toBe("");

    // Auth.js stores `<token>|<hash>` in the cookie, URL-encoded, and compares the form field against it.
    expect(client.cookie(csrfCookie)?.startsWith(`${csrfToken}%7C`)).toBe(true);
    expect(await table.scanAll()).toEqual([]);
    expect(harness.loggedErrors).toEqual([]);
  });

  it("sign-in stores a verification token", async () => {
    const response = await client.postForm("/auth/signin/email", { email, csrfToken, callbackUrl });

    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`${testOrigin}/auth/verify-request?provider=email&type=email`);
    expect(harness.emails).toHaveLength(1);
    expect(harness.emails[0]?.identifier).toBe(email);
    signInLink = harness.emails[0]?.url ?? "";

    const link = new URL(signInLink);
    const token = link.searchParams.get("token") ?? "";
    expect(link.origin + link.pathname).toBe(`${testOrigin}/auth/callback/email`);
    expect(link.searchParams.get("email")).toBe(email);
    expect(link.searchParams.get("callbackUrl")).toBe(callbackUrl);
    expect(token).not.toBe("");

    const items = await table.scanAll();
    const tokenItems = withPartitionKeyPrefix(items, table.names, "VT#");
    expect(tokenItems).toHaveLength(1);
    expect(tokenItems[0]?.["identifier"]).toBe(email);
    expect(tokenItems[0]?.["token"]).toBe(hashVerificationToken(token));

    // Only the hash may be stored, so that read access to the table is not enough to sign in.
    expect(JSON.stringify(items)).not.toContain(token);
    expect(userItems(items, table.names)).toEqual([]);
    expect(harness.loggedErrors).toEqual([]);
  });

  it("callback creates user and session", async () => {
    const response = await client.get(signInLink);

    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(callbackUrl);
    sessionToken = client.cookie(sessionCookie) ?? "";
    expect(sessionToken).not.toBe("");

    const items = await table.scanAll();
    expect(withPartitionKeyPrefix(items, table.names, "VT#")).toEqual([]);

    const users = userItems(items, table.names);
    expect(users).toHaveLength(1);
    expect(users[0]?.["email"]).toBe(email);
    expect(users[0]?.["emailVerified"]).toBeTruthy();
    expect(sessionTokensInKeys(items, table.names)).toEqual([sessionToken]);

    // The canonical session item is keyed by the token alone, so a session look-up needs no index.
    const sessionItems = withPartitionKey(items, table.names, `SESSION#${sessionToken}`);
    expect(sessionItems).toHaveLength(1);
    expect(sessionItems[0]?.["userId"]).toBe(users[0]?.["id"]);
    expect(harness.loggedErrors).toEqual([]);
  });

  it("callback link works only once", async () => {
    // A second browser with no cookies plays the part of anyone else who obtained the link.
    const otherBrowser = new AuthClient(harness.config);
    const response = await otherBrowser.get(signInLink);

    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`${testOrigin}/auth/error?error=Verification`);
    expect(otherBrowser.cookie(sessionCookie)).toBeUndefined();
    expect(harness.loggedErrors.map((error) => error.name)).toEqual(["Verification"]);
    harness.loggedErrors.length = 0;

    const items = await table.scanAll();
    expect(sessionTokensInKeys(items, table.names)).toEqual([sessionToken]);
    expect(userItems(items, table.names)).toHaveLength(1);
  });

  it("session returns the user's email", async () => {
    const response = await client.get("/auth/session");
    const body = (await response.json()) as SessionBody | null;

    expect(response.status).toBe(200);
    expect(body?.user?.email).toBe(email);
    expect(Date.parse(body?.expires ?? "")).toBeGreaterThan(Date.now());
    expect(client.cookie(sessionCookie)).toBe(sessionToken);
    expect(harness.loggedErrors).toEqual([]);
  });

  it("session shows the updated user name", async () => {
    const user = await adapter.getUserByEmail?.(email);
    expect(user).toBeTruthy();
    const userId = user?.id ?? "";
    const updateUser = adapter.updateUser;
    if (updateUser === undefined) throw new Error("Expected the adapter to implement updateUser.");

    // The previous step read the session, so a cached copy of the old user may exist and must not be served.
    await updateUser({ id: userId, name: newName });
    const response = await client.get("/auth/session");
    const body = (await response.json()) as SessionBody | null;

    expect(body?.user?.name).toBe(newName);
    expect(body?.user?.email).toBe(email);

    const users = userItems(await table.scanAll(), table.names);
    expect(users.map((item) => keyOf(item, table.names).partitionKey)).toEqual([`USER#${userId}`]);
    expect(users[0]?.["name"]).toBe(newName);
    expect(harness.loggedErrors).toEqual([]);
  });

  it("sign-out deletes the session", async () => {
    const response = await client.postForm("/auth/signout", { csrfToken, callbackUrl });

    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(callbackUrl);
    expect(client.cookie(sessionCookie)).toBeUndefined();
    expect(harness.loggedErrors).toEqual([]);

    const sessionResponse = await client.get("/auth/session");
    expect(await sessionResponse.json()).toBeNull();

    // The old token, sent by a client that kept it, must not find a session either.
    const keptToken = new AuthClient(harness.config);
    keptToken.setCookie(sessionCookie, sessionToken);
    const replay = await keptToken.get("/auth/session");
    expect(await replay.json()).toBeNull();
    expect(keptToken.cookie(sessionCookie)).toBeUndefined();

    const items = await table.scanAll();
    expect(withSortKeyPrefix(items, table.names, "SESSION#")).toEqual([]);
    expect(withPartitionKey(items, table.names, `SESSION#${sessionToken}`)).toEqual([]);
    expect(JSON.stringify(items)).not.toContain(sessionToken);
    expect(userItems(items, table.names)).toHaveLength(1);
    expect(harness.loggedErrors).toEqual([]);
    expect(harness.warnings).toEqual([]);
  });
});
