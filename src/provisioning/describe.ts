import { DescribeTableCommand, ResourceNotFoundException, type DynamoDBClient, type TableDescription } from "@aws-sdk/client-dynamodb";

/** Returns whether `error` is DynamoDB's ResourceNotFoundException, also when another copy of the SDK threw it. */
export function isResourceNotFound(error: unknown): boolean {
  return error instanceof ResourceNotFoundException || (error as { name?: unknown } | null)?.name === "ResourceNotFoundException";
}

/** Returns whether `error` is DynamoDB's ResourceInUseException, which CreateTable throws when the table already exists. */
export function isResourceInUse(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === "ResourceInUseException";
}

/** Sends DescribeTable and returns the description, or undefined when the table does not exist. */
export async function describeTableIfExists(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    const output = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return output.Table;
  } catch (error) {
    if (isResourceNotFound(error)) return undefined;
    throw error;
  }
}

/** Returns the region the client sends requests to, or undefined when the client has none configured. */
export async function resolveClientRegion(client: DynamoDBClient): Promise<string | undefined> {
  try {
    return await client.config.region();
  } catch {
    // The SDK's region provider throws when no region is configured; messages then leave the region out.
    return undefined;
  }
}
