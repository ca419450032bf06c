import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type _Record,
  type Shard,
} from "@aws-sdk/client-dynamodb-streams";
import type { Image } from "./images.js";

/** One item-level change read from a table's stream. */
export interface ChangeRecord {
  readonly eventName: "INSERT" | "MODIFY" | "REMOVE";
  /** The item's key attributes. */
  readonly keys: Image;
  /** The item after the change, or undefined for REMOVE. */
  readonly newImage: Image | undefined;
  readonly sequenceNumber: string;
}

interface ShardCursor {
  readonly shardId: string;
  readonly parentShardId: string | undefined;
  iterator: string | undefined;
  lastSequenceNumber: string | undefined;
  finished: boolean;
}

// The shard list is read again after this many polls even when no shard has
// closed, as a backstop for shards that open without closing their parent.
const describeEveryPolls = 40;

// Errors after which a fresh iterator continues where the old one stopped.
const iteratorErrorNames = new Set(["ExpiredIteratorException", "TrimmedDataAccessException"]);

function toChangeRecord(record: _Record): ChangeRecord {
  const { eventName, dynamodb } = record;

  if (eventName === undefined || dynamodb?.Keys === undefined || dynamodb.SequenceNumber === undefined) {
    throw new TypeError(`Stream record ${record.eventID ?? "(no eventID)"} lacks eventName, Keys or SequenceNumber.`);
  }

  return {
    eventName,
    keys: dynamodb.Keys as Image,
    newImage: eventName === "REMOVE" ? undefined : (dynamodb.NewImage as Image | undefined),
    sequenceNumber: dynamodb.SequenceNumber,
  };
}

/**
 * Reads one DynamoDB stream shard by shard, in sequence-number order, and
 * starts a child shard only after its parent has been read to the end, so the
 * changes of one item arrive in the order they were written.
 */
export class StreamReader {
  readonly #client: DynamoDBStreamsClient;
  readonly #streamArn: string;
  readonly #shards = new Map<string, ShardCursor>();
  #pollsSinceDescribe = Number.POSITIVE_INFINITY;

  constructor(client: DynamoDBStreamsClient, streamArn: string) {
    this.#client = client;
    this.#streamArn = streamArn;
  }

  /**
   * Sends one GetRecords request to every readable shard and returns the
   * records, in order within each shard. An empty result means that every
   * readable shard had nothing new.
   */
  async poll(): Promise<ChangeRecord[]> {
    if (this.#pollsSinceDescribe >= describeEveryPolls) await this.#describeShards();
    this.#pollsSinceDescribe += 1;

    const records: ChangeRecord[] = [];
    for (const cursor of this.#readableShards()) records.push(...(await this.#readShard(cursor)));

    return records;
  }

  #readableShards(): ShardCursor[] {
    return [...this.#shards.values()].filter((cursor) => {
      if (cursor.finished) return false;

      const parent = cursor.parentShardId === undefined ? undefined : this.#shards.get(cursor.parentShardId);
      return parent === undefined || parent.finished;
    });
  }

  async #describeShards(): Promise<void> {
    let exclusiveStartShardId: string | undefined;

    do {
      const output = await this.#client.send(new DescribeStreamCommand({ StreamArn: this.#streamArn, ExclusiveStartShardId: exclusiveStartShardId }));
      const description = output.StreamDescription;

      for (const shard of description?.Shards ?? []) this.#track(shard);
      exclusiveStartShardId = description?.LastEvaluatedShardId;
    } while (exclusiveStartShardId !== undefined);

    this.#pollsSinceDescribe = 0;
  }

  #track(shard: Shard): void {
    if (shard.ShardId === undefined || this.#shards.has(shard.ShardId)) return;

    this.#shards.set(shard.ShardId, {
      shardId: shard.ShardId,
      parentShardId: shard.ParentShardId,
      iterator: undefined,
      lastSequenceNumber: undefined,
      finished: false,
    });
  }

  async #readShard(cursor: ShardCursor): Promise<ChangeRecord[]> {
    if (cursor.iterator === undefined) {
      cursor.iterator = await this.#openIterator(cursor);

      if (cursor.iterator === undefined) {
        this.#finish(cursor);
        return [];
      }
    }

    let output;
    try {
      output = await this.#client.send(new GetRecordsCommand({ ShardIterator: cursor.iterator }));
    } catch (error) {
      if (!iteratorErrorNames.has((error as { name?: string }).name ?? "")) throw error;

      cursor.iterator = undefined;
      return [];
    }

    const records = (output.Records ?? []).map(toChangeRecord);
    const last = records.at(-1);
    if (last !== undefined) cursor.lastSequenceNumber = last.sequenceNumber;

    cursor.iterator = output.NextShardIterator;
    if (cursor.iterator === undefined) this.#finish(cursor);

    return records;
  }

  // A closed shard has no next iterator. The next describe lists its children.
  #finish(cursor: ShardCursor): void {
    cursor.finished = true;
    this.#pollsSinceDescribe = Number.POSITIVE_INFINITY;
  }

  async #openIterator(cursor: ShardCursor): Promise<string | undefined> {
    const output = await this.#client.send(
      new GetShardIteratorCommand({
        StreamArn: this.#streamArn,
        ShardId: cursor.shardId,
        ...(cursor.lastSequenceNumber === undefined
          ? { ShardIteratorType: "TRIM_HORIZON" as const }
          : { ShardIteratorType: "AFTER_SEQUENCE_NUMBER" as const, SequenceNumber: cursor.lastSequenceNumber }),
      }),
    );

    return output.ShardIterator;
  }
}
