import type { Item } from "./codec.js";

/** An update or condition expression with its placeholder maps. */
export interface Expression {
  readonly expression: string;
  readonly names: Record<string, string>;
  readonly values: Record<string, unknown>;
}

/**
 * Builds `SET #f0 = :v0, ...` for every attribute. Placeholders are numbered
 * rather than derived from attribute names, so names with `-`, `.` or
 * spaces work.
 */
export function buildSetExpression(attributes: Item, prefix = "f"): Expression {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const assignments: string[] = [];

  Object.entries(attributes).forEach(([name, value], index) => {
    names[`#${prefix}${index}`] = name;
    values[`:${prefix}${index}`] = value;
    assignments.push(`#${prefix}${index} = :${prefix}${index}`);
  });

  return { expression: assignments.length > 0 ? `SET ${assignments.join(", ")}` : "", names, values };
}

/** Builds the condition that no item with the request's key exists yet, for create-only writes. */
export function itemAbsent(partitionKey: string) {
  return { ConditionExpression: "attribute_not_exists(#pk)", ExpressionAttributeNames: { "#pk": partitionKey } };
}

/** Builds the condition that the item with the request's key exists, for writes that must never create one. */
export function itemPresent(partitionKey: string) {
  return { ConditionExpression: "attribute_exists(#pk)", ExpressionAttributeNames: { "#pk": partitionKey } };
}
