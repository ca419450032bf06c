import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DynamoDBAdapter, NotFoundError, RegionUnavailableError, RetriesExhaustedError, generateSessionToken, type AdapterEvent } from "../../src/index.js";
import type { FullAdapter } from "../support/adapter-table.js";
import { localCredentials } from "../support/dynamodb-local.js";
import { fixedNow } from "../support/fixtures.js";

const mock = mockClient(DynamoDBDocumentClient);
const fastRetry = { retries: 3, minTimeout: 1, maxTimeout: 2, maxRetryTime: 1000 };

function documentClient(region = "us-east-1") {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: "http://127.0.0.1:1", region, credentials: localCredentials }));
}

function buildAdapter(events: AdapterEvent[] = []) {
  return DynamoDBAdapter(documentClient(), { cache: false, retry: fastRetry, clock: { now: () => fixedNow }, onEvent: (event) => events.push(event) }) as FullAdapter;
}

function awsError(name: string, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(`${name} from the test`), { name, $metadata: {}, ...extra });
}

beforeEach(() => mock.reset());
afterEach(() => mock.reset());

describe("request shapes", () => {
  it("session look-up uses two consistent GetItems and no query", async () => {
    mock.on(GetCommand, { Key: { pk: "SESSION#token-1", sk: "SESSION#token-1" } }).resolves({ Item: { pk: "SESSION#token-1", sk: "SESSION#token-1", type: "SESSION", sessionToken: "token-1", userId: "u1", expires: fixedNow / 1000 + 60 } });
    mock.on(GetCommand, { Key: { pk: "USER#u1", sk: "USER#u1" } }).resolves({ Item: { pk: "USER#u1", sk: "USER#u1", type: "USER", id: "u1", email: "a@example.test", emailVerified: null } });

    const result = await buildAdapter().getSessionAndUser("token-1");

    expect(result?.user.id).toBe("u1");
    expect(mock.commandCalls(QueryCommand)).toHaveLength(0);
    const gets = mock.commandCalls(GetCommand).map((call) => call.args[0].input);
    expect(gets).toEqual([
      { TableName: "next-auth", Key: { pk: "SESSION#token-1", sk: "SESSION#token-1" }, ConsistentRead: true },
      { TableName: "next-auth", Key: { pk: "USER#u1", sk: "USER#u1" }, ConsistentRead: true },
    ]);
  });

  it("malformed token sends no request", async () => {
    expect(await buildAdapter().getSessionAndUser("not a token")).toBeNull();
    expect(mock.calls()).toHaveLength(0);
  });

  it("createSession writes both items in one conditional transaction", async () => {
    mock.on(TransactWriteCommand).resolves({});
    await buildAdapter().createSession({ sessionToken: "t2", userId: "u1", expires: new Date(fixedNow + 1500) });

    const [call] = mock.commandCalls(TransactWriteCommand);
    expect(call?.args[0].input.TransactItems).toEqual([
      { Put: { TableName: "next-auth", Item: { pk: "SESSION#t2", sk: "SESSION#t2", type: "SESSION", sessionToken: "t2", userId: "u1", expires: Math.floor((fixedNow + 1500) / 1000) }, ConditionExpression: "attribute_not_exists(#pk)", ExpressionAttributeNames: { "#pk": "pk" } } },
      { Put: { TableName: "next-auth", Item: { pk: "USER#u1", sk: "SESSION#t2", type: "SESSION", sessionToken: "t2", userId: "u1", expires: Math.floor((fixedNow + 1500) / 1000) } } },
    ]);
  });

  it("updateSession is conditioned on the session existing", async () => {
    mock.on(UpdateCommand).rejects(awsError("ConditionalCheckFailedException"));
    mock.on(QueryCommand).resolves({ Items: [] });

    expect(await buildAdapter().updateSession({ sessionToken: "gone", expires: new Date(fixedNow) })).toBeNull();
    const [update] = mock.commandCalls(UpdateCommand);
    expect(update?.args[0].input.ConditionExpression).toBe("attribute_exists(#pk)");
    expect(mock.commandCalls(PutCommand)).toHaveLength(0);
  });

  it("counter update is conditioned on not going down", async () => {
    mock.on(GetCommand).resolves({ Item: { userId: "u1" } });
    mock.on(UpdateCommand).resolves({ Attributes: { credentialID: "c1", counter: 7 } });

    await buildAdapter().updateAuthenticatorCounter("c1", 7);
    const [update] = mock.commandCalls(UpdateCommand);
    expect(update?.args[0].input).toMatchObject({ ConditionExpression: "attribute_exists(#pk) AND #counter <= :counter", ExpressionAttributeValues: { ":counter": 7 } });
  });

  it("verification token delete is conditioned on existence", async () => {
    mock.on(DeleteCommand).resolves({});
    await buildAdapter().useVerificationToken({ identifier: "a@example.test", token: "t" });

    const [first] = mock.commandCalls(DeleteCommand);
    expect(first?.args[0].input).toMatchObject({ Key: { pk: "VT#a@example.test", sk: "VT#t" }, ConditionExpression: "attribute_exists(#pk)", ReturnValues: "ALL_OLD" });
  });
});

describe("faults", () => {
  it("throttling is not retried by the adapter", async () => {
    mock.on(GetCommand).rejects(awsError("ProvisionedThroughputExceededException"));

    await expect(buildAdapter().getUser("u1")).rejects.toMatchObject({ name: "ProvisionedThroughputExceededException" });
    expect(mock.commandCalls(GetCommand)).toHaveLength(1);
  });

  it("transaction conflict is retried", async () => {
    const events: AdapterEvent[] = [];
    mock.on(QueryCommand).resolves({ Items: [] });
    mock.on(TransactWriteCommand).rejectsOnce(awsError("TransactionCanceledException", { CancellationReasons: [{ Code: "TransactionConflict" }, { Code: "None" }] })).resolves({});

    await buildAdapter(events).createUser({ id: "u9", email: "u9@example.test", emailVerified: null });
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(2);
    expect(events).toContainEqual({ type: "retry", operation: "createUser", attempt: 1, reason: "TransactionCanceledException" });
  });

  it("condition failure is never retried", async () => {
    mock.on(UpdateCommand).rejects(awsError("ConditionalCheckFailedException"));

    await expect(buildAdapter().updateUser({ id: "missing", name: "x" })).rejects.toBeInstanceOf(NotFoundError);
    expect(mock.commandCalls(UpdateCommand)).toHaveLength(1);
  });

  it("unprocessed batch items are sent again", async () => {
    mock.on(GetCommand).resolves({});
    mock.on(QueryCommand).resolvesOnce({ Items: [{ pk: "USER#u1", sk: "SESSION#a", sessionToken: "a" }] }).resolves({ Items: [] });
    mock.on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { "next-auth": [{ DeleteRequest: { Key: { pk: "SESSION#a", sk: "SESSION#a" } } }] } })
      .resolves({ UnprocessedItems: {} });

    await buildAdapter().deleteUser("u1");
    const batches = mock.commandCalls(BatchWriteCommand).map((call) => call.args[0].input.RequestItems?.["next-auth"]?.length);
    expect(batches).toEqual([1, 1, 1]);
  });

  it("unprocessed items past the bound raise a typed error", async () => {
    mock.on(GetCommand).resolves({});
    mock.on(QueryCommand).resolves({ Items: [{ pk: "USER#u1", sk: "SESSION#a", sessionToken: "a" }] });
    mock.on(BatchWriteCommand).resolves({ UnprocessedItems: { "next-auth": [{ DeleteRequest: { Key: { pk: "SESSION#a", sk: "SESSION#a" } } }] } });

    const failure = buildAdapter().deleteUser("u1");
    await expect(failure).rejects.toBeInstanceOf(RetriesExhaustedError);
    await expect(failure).rejects.toThrow("deleteUser failed after 4 attempts: DynamoDB left 1 of the user's items unprocessed; call deleteUser again to finish.");
  });

  it("timeout in the owner region names the region", async () => {
    const local = documentClient("eu-west-1");
    const adapter = DynamoDBAdapter(local, {
      cache: false,
      retry: fastRetry,
      global: { regions: ["us-east-1", "eu-west-1"], localRegion: "eu-west-1", primaryRegion: "us-east-1", createClient: (region) => documentClient(region) },
    }) as FullAdapter;
    mock.on(UpdateCommand).rejects(awsError("TimeoutError"));

    const failure = adapter.updateUser({ id: "u1", name: "x" });
    await expect(failure).rejects.toBeInstanceOf(RegionUnavailableError);
    await expect(failure).rejects.toThrow("updateUser needs region us-east-1, which did not respond. A write that timed out may or may not have been applied there, and a transaction is applied whole or not at all; retry when the region is reachable again.");
  });

  it("replicated write conflict is retried", async () => {
    const events: AdapterEvent[] = [];
    mock.on(UpdateCommand).rejectsOnce(awsError("ReplicatedWriteConflictException")).resolves({ Attributes: { pk: "USER#u1", sk: "USER#u1", id: "u1", name: "x" } });

    expect((await buildAdapter(events).updateUser({ id: "u1", name: "x" })).name).toBe("x");
    expect(mock.commandCalls(UpdateCommand)).toHaveLength(2);
    expect(events.filter((event) => event.type === "retry")).toEqual([{ type: "retry", operation: "updateUser", attempt: 1, reason: "ReplicatedWriteConflictException" }]);
  });

  it("session token names its region", () => {
    expect(generateSessionToken("eu-west-1")).toMatch(/^g1\.eu-west-1\.[A-Za-z0-9_-]{43}$/);
  });
});
