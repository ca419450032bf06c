import { randomUUID } from "node:crypto";
import type { AdapterAccount, AdapterAuthenticator, AdapterUser } from "@auth/core/adapters";

/** A fixed instant, so expiry checks in tests do not depend on the wall clock. */
export const fixedNow = Date.UTC(2026, 0, 15, 12, 0, 0);

/** Builds a clock frozen at `fixedNow`, which tests move with `advance` and `set`. */
export function testClock(start = fixedNow) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
    set(ms: number) {
      now = ms;
    },
  };
}

export function newUser(overrides: Partial<AdapterUser> = {}): AdapterUser {
  const id = randomUUID();
  return { id, email: `${id}@example.test`, emailVerified: null, name: "Test User", image: null, ...overrides } as AdapterUser;
}

export function newAccount(userId: string, overrides: Partial<AdapterAccount> = {}): AdapterAccount {
  return {
    userId,
    type: "oauth",
    provider: "github",
    providerAccountId: randomUUID(),
    access_token: "gho_test",
    token_type: "bearer",
    scope: "read:user",
    ...overrides,
  } as AdapterAccount;
}

export function newAuthenticator(userId: string, overrides: Partial<AdapterAuthenticator> = {}): AdapterAuthenticator {
  return {
    userId,
    credentialID: randomUUID(),
    providerAccountId: randomUUID(),
    credentialPublicKey: "cHVibGljLWtleQ",
    counter: 0,
    credentialDeviceType: "singleDevice",
    credentialBackedUp: false,
    transports: "usb,nfc",
    ...overrides,
  };
}

/** Builds an Auth.js-style session token (a UUID, as Auth.js v5 generates by default). */
export const newSessionToken = () => randomUUID();
