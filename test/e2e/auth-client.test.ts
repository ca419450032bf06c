import { describe, expect, it } from "vitest";
import { parseSetCookie } from "./support/auth-client.js";

const now = Date.parse("2030-06-01T00:00:00Z");

describe("parseSetCookie", () => {
  it.each([
    { header: "authjs.session-token=abc; Path=/; HttpOnly", expired: false },
    { header: "authjs.session-token=; Max-Age=0; Path=/", expired: true },
    { header: "a=b; Max-Age=-1", expired: true },
    { header: "a=b; Max-Age=60", expired: false },
    { header: "a=b; Expires=Fri, 31 May 2030 23:59:59 GMT", expired: true },
    { header: "a=b; Expires=Sat, 01 Jun 2030 00:00:01 GMT", expired: false },
    { header: "a=b; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT", expired: false },
    { header: "a=b; max-age=0", expired: true },
  ])("expiry of $header", ({ header, expired }) => {
    expect(parseSetCookie(header, now).expired).toBe(expired);
  });

  it("keeps the raw URL-encoded value", () => {
    const cookie = parseSetCookie("authjs.csrf-token=tok%7Chash; Path=/", now);

    expect(cookie.name).toBe("authjs.csrf-token");
    expect(cookie.value).toBe("tok%7Chash");
  });

  it("keeps '=' inside the value", () => {
    expect(parseSetCookie("a=b=c; Path=/", now).value).toBe("b=c");
  });

  it("rejects a header without a name", () => {
    expect(() => parseSetCookie("=value; Path=/", now)).toThrow(
      "Expected a Set-Cookie header that starts with name=value, but got: =value; Path=/",
    );
  });
});
