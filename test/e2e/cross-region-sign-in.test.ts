import type { AuthConfig } from "@auth/core";
import { describe, expect, it } from "vitest";
import { parseSessionToken, sessionTokenGenerator } from "../../src/index.js";
import { east, useGlobalTable, west } from "../support/global-adapter.js";
import { AuthClient, testOrigin } from "./support/auth-client.js";
import { createAuthHarness } from "./support/auth-config.js";

const sessionCookie = "authjs.session-token";
const cacheTtl = 5000;

/** Wall-clock time plus a skew the test moves forward, so cache TTLs pass without waiting. */
function skewedClock() {
  let skew = 0;
  return { now: () => Date.now() + skew, advance: (ms: number) => (skew += ms) };
}

async function csrfToken(client: AuthClient): Promise<string> {
  const response = await client.get("/auth/csrf");
  return String(((await response.json()) as { csrfToken?: unknown }).csrfToken);
}

async function sessionEmail(client: AuthClient): Promise<string | undefined> {
  const body = (await (await client.get("/auth/session")).json()) as { user?: { email?: string } } | null;
  return body?.user?.email;
}

describe("sign-in across regions", () => {
  const setup = useGlobalTable([east, west]);

  it("sign in in A, read and sign out in B", async () => {
    const table = setup.table();
    const clockA = skewedClock();
    const harnessA = createAuthHarness(setup.adapterIn(east, { clock: clockA, cache: { ttl: cacheTtl } }));
    const harnessB = createAuthHarness(setup.adapterIn(west, { cache: { ttl: cacheTtl } }));
    const configA: AuthConfig = { ...harnessA.config, session: { strategy: "database", generateSessionToken: sessionTokenGenerator(east) } };
    const configB: AuthConfig = { ...harnessB.config, session: { strategy: "database", generateSessionToken: sessionTokenGenerator(west) } };
    const browserA = new AuthClient(configA);
    const browserB = new AuthClient(configB);
    const email = "traveller@example.test";

    // Sign in through region A while nothing replicates to B.
    table.pause();
    await browserA.postForm("/auth/signin/email", { email, csrfToken: await csrfToken(browserA), callbackUrl: `${testOrigin}/` });
    const link = harnessA.emails[0]?.url;
    expect(link).toBeDefined();
    expect((await browserA.get(link as string)).status).toBe(302);
    const sessionToken = browserA.cookie(sessionCookie) as string;
    expect(parseSessionToken(sessionToken)).toEqual({ kind: "regional", homeRegion: east });
    expect(await sessionEmail(browserA)).toBe(email);

    // The same browser's next request lands in region B, which has received nothing.
    expect((await table.scanRegion(west)).filter((item) => item.sessionToken === sessionToken)).toEqual([]);
    browserB.setCookie(sessionCookie, sessionToken);
    expect(await sessionEmail(browserB)).toBe(email);

    // Sign out through B; the delete is written in A, the session's home region.
    expect((await browserB.postForm("/auth/signout", { csrfToken: await csrfToken(browserB) })).status).toBe(302);
    expect(await sessionEmail(browserB)).toBeUndefined();

    // A's cache may still serve it, but never past replication lag plus the cache TTL.
    table.resume();
    await table.flush();
    clockA.advance(cacheTtl);
    expect(await sessionEmail(browserA)).toBeUndefined();
    for (const region of [east, west]) expect((await table.scanRegion(region)).filter((item) => item.sessionToken === sessionToken)).toEqual([]);
    expect(harnessA.loggedErrors).toEqual([]);
    expect(harnessB.loggedErrors).toEqual([]);
  });
});
