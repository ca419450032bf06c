import { Auth, type AuthConfig } from "@auth/core";

/** Origin of every request. Plain http keeps Auth.js cookie names free of the `__Secure-` and `__Host-` prefixes. */
export const testOrigin = "http://localhost";

/**
 * A browser stand-in that calls the Auth.js request handler in process, with no
 * HTTP server. It keeps a cookie jar between requests and never follows
 * redirects, so each test can assert on the `Location` header itself.
 *
 * NOTE: the jar ignores `Path`, `Domain` and `Secure` because every request goes
 * to one origin and every Auth.js cookie uses `Path=/`.
 */
export class AuthClient {
  readonly #config: AuthConfig;
  readonly #cookies = new Map<string, string>();

  constructor(config: AuthConfig) {
    this.#config = config;
  }

  /** Sends a GET request. `target` is a path such as `/auth/session` or an absolute URL on {@link testOrigin}. */
  async get(target: string): Promise<Response> {
    return this.#send(new Request(this.#resolve(target), { method: "GET", headers: this.#headers() }));
  }

  /** Sends a POST request with an `application/x-www-form-urlencoded` body, as an HTML form does. */
  async postForm(target: string, fields: Readonly<Record<string, string>>): Promise<Response> {
    const headers = this.#headers();
    headers.set("content-type", "application/x-www-form-urlencoded");

    return this.#send(new Request(this.#resolve(target), { method: "POST", headers, body: new URLSearchParams(fields).toString() }));
  }

  /** Returns the stored value of a cookie, or `undefined` when the jar has none of that name. */
  cookie(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  /** Puts a cookie into the jar, as a client that kept an old cookie would send it. */
  setCookie(name: string, value: string): void {
    this.#cookies.set(name, value);
  }

  /** Names of all cookies in the jar. */
  cookieNames(): string[] {
    return [...this.#cookies.keys()];
  }

  #resolve(target: string): URL {
    const url = new URL(target, testOrigin);

    if (url.origin !== testOrigin) {
      throw new Error(`Expected a URL on ${testOrigin}, but got ${url.href}. AuthClient only calls the in-process handler.`);
    }

    return url;
  }

  #headers(): Headers {
    const headers = new Headers();
    const pairs = [...this.#cookies].map(([name, value]) => `${name}=${value}`);

    if (pairs.length > 0) headers.set("cookie", pairs.join("; "));

    return headers;
  }

  async #send(request: Request): Promise<Response> {
    const response = await Auth(request, this.#config);

    for (const header of response.headers.getSetCookie()) {
      this.#store(parseSetCookie(header));
    }

    return response;
  }

  #store(cookie: SetCookie): void {
    if (cookie.expired) {
      this.#cookies.delete(cookie.name);
    } else {
      this.#cookies.set(cookie.name, cookie.value);
    }
  }
}

/** One parsed `Set-Cookie` header. */
export interface SetCookie {
  readonly name: string;
  /** Raw value, still URL-encoded, so it can be sent back unchanged. */
  readonly value: string;
  /** True when the header removes the cookie from the jar: `Max-Age` of zero or less, or an `Expires` date in the past. */
  readonly expired: boolean;
}

/** Parses the name, value and expiry of one `Set-Cookie` header (RFC 6265, section 5.2). */
export function parseSetCookie(header: string, now = Date.now()): SetCookie {
  const [pair = "", ...attributes] = header.split(";");
  const separator = pair.indexOf("=");

  if (separator <= 0) {
    throw new Error(`Expected a Set-Cookie header that starts with name=value, but got: ${header}`);
  }

  const name = pair.slice(0, separator).trim();
  const value = pair.slice(separator + 1).trim();
  let maxAgeSeconds: number | undefined;
  let expiresAt: number | undefined;

  for (const attribute of attributes) {
    const [key = "", attributeValue = ""] = attribute.split("=", 2).map((part) => part.trim());
    const lowerKey = key.toLowerCase();

    if (lowerKey === "max-age") maxAgeSeconds = Number(attributeValue);
    if (lowerKey === "expires") expiresAt = Date.parse(attributeValue);
  }

  // Max-Age takes precedence over Expires when a header carries both.
  const expired = maxAgeSeconds !== undefined ? maxAgeSeconds <= 0 : expiresAt !== undefined && expiresAt <= now;

  return { name, value, expired };
}
