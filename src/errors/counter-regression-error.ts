import { AdapterError } from "./adapter-error.js";

/**
 * A WebAuthn signature counter update would move the counter backwards, which
 * signals a cloned authenticator or a replayed assertion. Nothing was written.
 */
export class CounterRegressionError extends AdapterError {
  override name = "CounterRegressionError" as const;
  readonly credentialID: string;
  readonly newCounter: number;

  constructor(credentialID: string, newCounter: number, options?: { cause?: unknown }) {
    super(
      "CounterRegression",
      `The authenticator ${JSON.stringify(credentialID)} already has a counter above ${newCounter}; ` +
        "a WebAuthn counter never goes backwards, so reject this sign-in.",
      options,
    );
    this.credentialID = credentialID;
    this.newCounter = newCounter;
  }
}
