import { expect } from "vitest";

/** Awaits a rejection and checks its class and whole message. */
export async function expectRejection(promise: Promise<unknown>, errorClass: new (...args: any[]) => Error, message: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );

  expect(error).toBeInstanceOf(errorClass);
  expect((error as Error).message).toBe(message);
}
