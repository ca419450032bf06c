import { TableSchemaError } from "../errors/index.js";
import type { AdapterContext } from "./context.js";
import type { Item } from "./codec.js";
import { sendGet, sendQuery } from "./requests.js";

/**
 * Reads the first item whose index keys equal the given values: the only way
 * to find items the official adapter wrote without this package's look-up
 * items. Index reads are eventually consistent, because DynamoDB offers no
 * consistent reads on a global secondary index. That is acceptable here:
 * such items were written before the switch to this package, and every hit
 * is confirmed with a consistent read of the item.
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

  const item = output.Items?.[0];
  const { partitionKey, sortKey, indexPartitionKey, indexSortKey, indexName, tableName } = ctx.names;
  const keyNames = new Set([partitionKey, sortKey, indexPartitionKey, indexSortKey]);

  // An index that projects only keys returns items without the stored object,
  // which would read as a user or session with no fields.
  if (item !== undefined && Object.keys(item).every((name) => keyNames.has(name))) {
    throw new TableSchemaError(
      tableName,
      `the index ${indexName} does not project the items' attributes. The adapter needs an index with projection ALL; create the table with \`npx authjs-dynamodb-global create-table\` or recreate the index.`,
    );
  }

  if (item === undefined) return undefined;

  // The index lags behind the table, so confirm the hit with a consistent read
  // of the item itself: a user deleted or re-addressed a moment ago must not
  // count as the owner of an email or account.
  const key = { [partitionKey]: item[partitionKey], [sortKey]: item[sortKey] };
  const current = await sendGet(ctx, region, { TableName: tableName, Key: key, ConsistentRead: true }, operation);
  const stillIndexed = current.Item !== undefined && current.Item[indexPartitionKey] === partition && current.Item[indexSortKey] === sort;
  return stillIndexed ? current.Item : undefined;
}
