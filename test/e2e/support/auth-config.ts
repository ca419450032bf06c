import type { AuthConfig } from "@auth/core";
import type { Adapter } from "@auth/core/adapters";
import type { EmailConfig } from "@auth/core/providers/email";
import type { WarningCode } from "@auth/core/types";

/** Secret that Auth.js signs cookies with and hashes verification tokens with. Fixed, so a test can recompute the stored hash. */
export const testSecret = "e2e-test-secret-used-only-against-dynamodb-local";

/** One sign-in email that Auth.js passed to the provider's `sendVerificationRequest`. */
export interface CapturedEmail {
  readonly identifier: string;
  readonly url: string;
}

/** An Auth.js configuration plus the emails and log entries it produced, for assertions. */
export interface AuthHarness {
  readonly config: AuthConfig;
  readonly emails: CapturedEmail[];
  /**
   * Errors passed to the Auth.js logger. Auth.js logs some adapter failures
   * (for example in `deleteSession` during sign-out) and then carries on, so a
   * test must check this list to see them.
   */
  readonly loggedErrors: Error[];
  readonly warnings: WarningCode[];
}

/**
 * Builds an Auth.js configuration with database sessions and an email provider
 * that stores each sign-in link in memory instead of sending it.
 */
export function createAuthHarness(adapter: Adapter): AuthHarness {
  const emails: CapturedEmail[] = [];
  const loggedErrors: Error[] = [];
  const warnings: WarningCode[] = [];

  const emailProvider: EmailConfig = {
    id: "email",
    type: "email",
    name: "Email",
    from: "test@example.test",
    maxAge: 86_400,
    sendVerificationRequest: ({ identifier, url }) => {
      emails.push({ identifier, url });
    },
  };

  const config: AuthConfig = {
    adapter,
    secret: testSecret,
    trustHost: true,
    basePath: "/auth",
    session: { strategy: "database" },
    providers: [emailProvider],
    logger: {
      error: (error) => {
        loggedErrors.push(error);
      },
      warn: (code) => {
        warnings.push(code);
      },
      debug: () => {},
    },
  };

  return { config, emails, loggedErrors, warnings };
}
