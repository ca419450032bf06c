import type { TestProject } from "vitest/node";
import { startDynamoDBLocal, type DynamoDBLocal } from "./dynamodb-local.js";

declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

let engine: DynamoDBLocal | undefined;

/** Starts one DynamoDB Local for the whole run; each test file uses its own tables. */
export async function setup(project: TestProject): Promise<void> {
  engine = await startDynamoDBLocal();
  project.provide("dynamoEndpoint", engine.endpoint);
}

export async function teardown(): Promise<void> {
  await engine?.stop();
}
