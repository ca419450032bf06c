import type { AdapterContext } from "./context.js";
import type { Item } from "./codec.js";
import { sendQuery } from "./requests.js";

/**
 * Reads the first item whose index keys equal the given values: the only way
 * to find items the official adapter wrote without this package's look-up
 * items. Index reads are eventually consistent (DynamoDB offers no
 * consistent reads on a global secondary index), which is acceptable here
 * because such items were written before the switch to this package.
 */
export async function queryIndex(ctx: AdapterContext, region: string, partition: string, sort: string, operation: string): Promise<Item | undefined> {
  const output = await sendQuery(
    ctx,
    region,
    {
      TableName: ctx.names.tableName,
      IndexName: ctx.names.indexName,
      KeyConditionExpression: "#ipk = :ipk AND #isk = :isk",
      ExpressionAttributeNames: { "#ipk": ctx.names.indexPartitionKey, "#isk": ctx.names.indexSortKey },
      ExpressionAttributeValues: { ":ipk": partition, ":isk": sort },
      Limit: 1,
    },
    operation,
  );

  return output.Items?.[0];
}
