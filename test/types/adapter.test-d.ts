import type { Adapter as AuthCoreAdapter } from "@auth/core/adapters";
import type { DynamoDBDocument } from "@aws-sdk/lib-dynamodb";
import type { Adapter as NextAuthV4Adapter } from "next-auth/adapters";
import { describe, expectTypeOf, it } from "vitest";
import { DynamoDBAdapter } from "../../src/index.js";

type Built = ReturnType<typeof DynamoDBAdapter>;

describe("adapter types", () => {
  it("assignable to Auth.js v5 Adapter", () => {
    expectTypeOf<Built>().toExtend<AuthCoreAdapter>();
  });

  it("assignable to next-auth v4 Adapter", () => {
    expectTypeOf<Built>().toExtend<NextAuthV4Adapter>();
  });

  it("accepts a DynamoDBDocument", () => {
    expectTypeOf<DynamoDBDocument>().toExtend<Parameters<typeof DynamoDBAdapter>[0]>();
  });

  it("rejects a number as client", () => {
    // @ts-expect-error a number is not a DocumentClient
    DynamoDBAdapter(42);
  });
});
