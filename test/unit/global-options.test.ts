import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { DynamoDBAdapter, parseSessionToken, sessionTokenGenerator } from "../../src/index.js";
import { localCredentials } from "../support/dynamodb-local.js";

const client = (region: string) => DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: "http://127.0.0.1:1", region, credentials: localCredentials }));

describe("global options", () => {
  it("one region is rejected", () => {
    expect(() => DynamoDBAdapter(client("us-east-1"), { global: { regions: ["us-east-1"], localRegion: "us-east-1" } })).toThrow(
      'Expected option `global.regions` to be a list of at least two distinct AWS region names, such as ["us-east-1", "eu-west-1"], got an array of 1.',
    );
  });

  it("local region outside regions is rejected", () => {
    expect(() => DynamoDBAdapter(client("us-east-1"), { global: { regions: ["us-east-1", "eu-west-1"], localRegion: "us-west-2", createClient: client } })).toThrow(
      'Expected option `global.localRegion` to be one of global.regions (us-east-1, eu-west-1), got "us-west-2".',
    );
  });

  it("missing region client is rejected", () => {
    expect(() => DynamoDBAdapter(client("us-east-1"), { global: { regions: ["us-east-1", "eu-west-1"], localRegion: "us-east-1" } })).toThrow(
      "Expected option `global.clients.eu-west-1` to be a DocumentClient for region eu-west-1, or a global.createClient function, got undefined.",
    );
  });

  it("low-level client for a region is rejected", () => {
    const lowLevel = new DynamoDBClient({ endpoint: "http://127.0.0.1:1", region: "eu-west-1", credentials: localCredentials });
    expect(() => DynamoDBAdapter(client("us-east-1"), { global: { regions: ["us-east-1", "eu-west-1"], localRegion: "us-east-1", clients: { "eu-west-1": lowLevel as never } } })).toThrow(/`global\.clients\.eu-west-1`.*low-level DynamoDBClient/);
  });

  it("createClient is called once per other region", () => {
    const built: string[] = [];
    DynamoDBAdapter(client("us-east-1"), {
      global: { regions: ["us-east-1", "eu-west-1", "ap-southeast-2"], localRegion: "us-east-1", createClient: (region) => (built.push(region), client(region)) },
    });
    expect(built).toEqual(["eu-west-1", "ap-southeast-2"]);
  });

  it("unknown global key is rejected", () => {
    expect(() => DynamoDBAdapter(client("us-east-1"), { global: { regions: ["us-east-1", "eu-west-1"], localRegion: "us-east-1", createClient: client, homeRegion: "x" } as never })).toThrow(
      /Expected option `global\.homeRegion` to be one of the known options/,
    );
  });

  it("bad consistency is rejected", () => {
    expect(() => DynamoDBAdapter(client("us-east-1"), { global: { regions: ["us-east-1", "eu-west-1"], localRegion: "us-east-1", createClient: client, consistency: "linearizable" as never } })).toThrow(
      'Expected option `global.consistency` to be "eventual" or "strong", got "linearizable".',
    );
  });
});

describe("session tokens", () => {
  it("generator embeds the region", () => {
    const generate = sessionTokenGenerator("ap-southeast-2");
    const first = generate();

    expect(parseSessionToken(first)).toEqual({ kind: "regional", homeRegion: "ap-southeast-2" });
    expect(generate()).not.toBe(first);
  });

  it("classifies plain and malformed tokens", () => {
    expect(parseSessionToken("4f1c2b9e-9d7a-4a0e-8f51-7d1b9a3c2e10")).toEqual({ kind: "plain" });
    expect(parseSessionToken("a".repeat(64))).toEqual({ kind: "plain" });
    for (const token of ["", "two words", "x".repeat(1017), "caf\u00e9", 42]) expect(parseSessionToken(token)).toEqual({ kind: "malformed" });
  });

  it("invalid region name is rejected", () => {
    expect(() => sessionTokenGenerator("US East")).toThrow('Expected option `region` to be an AWS region name such as "eu-west-1", got "US East".');
  });
});
