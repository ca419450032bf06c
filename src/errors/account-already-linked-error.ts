import { AdapterError } from "./adapter-error.js";

/** The provider account is already linked to a user. Nothing was written. */
export class AccountAlreadyLinkedError extends AdapterError {
  override name = "AccountAlreadyLinkedError" as const;
  readonly provider: string;
  readonly providerAccountId: string;

  constructor(provider: string, providerAccountId: string, options?: { cause?: unknown }) {
    super(
      "AccountAlreadyLinked",
      `The ${JSON.stringify(provider)} account ${JSON.stringify(providerAccountId)} is already linked to a user. ` +
        "Unlink it first, or sign in with it to reach the user it belongs to.",
      options,
    );
    this.provider = provider;
    this.providerAccountId = providerAccountId;
  }
}
