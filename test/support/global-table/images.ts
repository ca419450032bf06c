import type { AttributeValue, DeleteItemCommandInput, PutItemCommandInput } from "@aws-sdk/client-dynamodb";

/** A whole item, or its key attributes, in DynamoDB's attribute-value form. */
export type Image = Record<string, AttributeValue>;

type Canonical = string | boolean | Canonical[] | { [name: string]: Canonical };

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}

function sortedNames(map: Record<string, unknown>): string[] {
  return Object.keys(map).sort();
}

// Sets and maps have no order in DynamoDB, so both are sorted here: two images
// that DynamoDB treats as equal must produce the same text.
function canonicalValue(value: AttributeValue): Canonical {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: toBase64(value.B) };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.SS !== undefined) return { SS: [...value.SS].sort() };
  if (value.NS !== undefined) return { NS: [...value.NS].sort() };
  if (value.BS !== undefined) return { BS: value.BS.map(toBase64).sort() };
  if (value.L !== undefined) return { L: value.L.map(canonicalValue) };

  if (value.M !== undefined) {
    const map = value.M;
    return { M: sortedNames(map).map((name) => [name, canonicalValue(map[name] as AttributeValue)]) };
  }

  throw new TypeError(`Unsupported attribute value with members ${Object.keys(value).join(", ")}.`);
}

/**
 * Returns a text form of an item that is the same for equal items, whatever
 * the order of their attributes and set members. No item gives `"-"`.
 */
export function canonicalImage(image: Image | undefined): string {
  if (image === undefined) return "-";

  return JSON.stringify(sortedNames(image).map((name) => [name, canonicalValue(image[name] as AttributeValue)]));
}

interface Condition {
  readonly ConditionExpression: string;
  readonly ExpressionAttributeNames: Record<string, string>;
  readonly ExpressionAttributeValues?: Record<string, AttributeValue>;
}

/**
 * Builds a condition that holds only while the stored item equals `expected`,
 * or while no item exists when `expected` is undefined. DynamoDB's `=`
 * compares maps, lists and sets by value, and numbers by numeric value.
 *
 * NOTE: an attribute that the stored item has and `expected` lacks is not
 * detected, because condition expressions cannot count attributes.
 */
export function buildExpectedCondition(keys: Image, expected: Image | undefined): Condition {
  if (expected === undefined) {
    const keyName = sortedNames(keys)[0];
    if (keyName === undefined) throw new TypeError("A stream record without key attributes cannot be replicated.");

    return { ConditionExpression: "attribute_not_exists(#k)", ExpressionAttributeNames: { "#k": keyName } };
  }

  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  const terms: string[] = [];

  sortedNames(expected).forEach((name, index) => {
    names[`#a${index}`] = name;
    values[`:v${index}`] = expected[name] as AttributeValue;
    terms.push(`#a${index} = :v${index}`);
  });

  return { ConditionExpression: terms.join(" AND "), ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}

/** A replica write: a PutItem of the new image, or a DeleteItem when the change removed the item. */
export type ReplicaWrite = { readonly kind: "put"; readonly input: PutItemCommandInput } | { readonly kind: "delete"; readonly input: DeleteItemCommandInput };

/**
 * Builds the request that makes a replica's item equal `image`, guarded by
 * {@link buildExpectedCondition}. It requests the old item (`ALL_OLD`) so the
 * caller can tell whether the write changed anything.
 */
export function buildReplicaWrite(tableName: string, keys: Image, image: Image | undefined, expected: Image | undefined): ReplicaWrite {
  const condition = buildExpectedCondition(keys, expected);

  if (image === undefined) {
    return { kind: "delete", input: { TableName: tableName, Key: keys, ReturnValues: "ALL_OLD", ...condition } };
  }

  return { kind: "put", input: { TableName: tableName, Item: image, ReturnValues: "ALL_OLD", ...condition } };
}
