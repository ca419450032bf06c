import { randomBytes } from "node:crypto";
import { InvalidOptionError } from "../errors/index.js";

/** Version tag of the token format, so a later format can coexist with this one. */
const formatTag = "g1";

/** AWS region names: lower-case letters, digits and dashes. DynamoDB Local accepts any such name. */
export const regionNamePattern = /^[a-z][a-z0-9-]{0,31}$/;

const regionalTokenPattern = /^g1\.([a-z][a-z0-9-]{0,31})\.([A-Za-z0-9_-]{43})$/;

// Printable ASCII without spaces: every token Auth.js generates (UUIDs, hex)
// and every token this module generates fits, and so does any cookie value.
const plainTokenPattern = /^[\x21-\x7e]+$/;

/** Maximum length of a session token this package looks up, in bytes: DynamoDB's 1024-byte sort key less the `SESSION#` prefix. */
export const maxSessionTokenBytes = 1016;

/** How a session token was made, which decides where its session lives. */
export type SessionTokenShape =
  | { readonly kind: "regional"; readonly homeRegion: string }
  | { readonly kind: "plain" }
  | { readonly kind: "malformed" };

/**
 * Generates a session token that names the region creating the session, so
 * any region can read the session from its home region before replication
 * arrives. The random part has 256 bits, as Auth.js v4's default does.
 */
export function generateSessionToken(region: string): string {
  if (!regionNamePattern.test(region)) throw new InvalidOptionError("region", region, "an AWS region name such as \"eu-west-1\"");
  return `${formatTag}.${region}.${randomBytes(32).toString("base64url")}`;
}

/**
 * Returns a generator for Auth.js's `session.generateSessionToken` option,
 * bound to the region this process runs in.
 */
export function sessionTokenGenerator(region: string): () => string {
  generateSessionToken(region);
  return () => generateSessionToken(region);
}

/** Classifies a session token without any request. */
export function parseSessionToken(sessionToken: unknown): SessionTokenShape {
  if (typeof sessionToken !== "string" || sessionToken.length === 0 || sessionToken.length > maxSessionTokenBytes) return { kind: "malformed" };

  const regional = regionalTokenPattern.exec(sessionToken);
  if (regional?.[1] !== undefined) return { kind: "regional", homeRegion: regional[1] };

  return plainTokenPattern.test(sessionToken) ? { kind: "plain" } : { kind: "malformed" };
}
