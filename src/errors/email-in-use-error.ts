import { AdapterError } from "./adapter-error.js";

/** Another user already has this email address. Nothing was written. */
export class EmailInUseError extends AdapterError {
  override name = "EmailInUseError" as const;
  readonly email: string;

  constructor(email: string, options?: { cause?: unknown }) {
    super(
      "EmailInUse",
      `Another user already has the email ${JSON.stringify(email)}. ` +
        "Look the user up with getUserByEmail and link the account to it instead of creating a second user.",
      options,
    );
    this.email = email;
  }
}
