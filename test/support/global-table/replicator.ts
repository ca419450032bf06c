import { DeleteItemCommand, PutItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DeliveryQueue, travelsOver, type Change, type Delivery } from "./delivery-queue.js";
import { buildReplicaWrite, canonicalImage, type Image, type ReplicaWrite } from "./images.js";
import type { LagSetting } from "./lag.js";
import { linkName, type Link, type LinkControls } from "./links.js";
import type { ChangeRecord, StreamReader } from "./stream-reader.js";

/** What happened on one link, or on all links together. */
export interface ReplicationCounts {
  /** Changes written to the target region. */
  readonly applied: number;
  /** Changes not written because the target already had a newer version of the item (last writer wins). */
  readonly dropped: number;
  /** Changes queued for the target, whether waiting for lag, for a paused link or for a retry. */
  readonly pending: number;
}

/** What one poll round did. */
export interface RoundResult {
  readonly records: number;
  readonly deliveries: number;
}

export interface ReplicatorOptions {
  readonly regions: readonly string[];
  readonly tableName: string;
  readonly links: LinkControls;
  readonly readers: ReadonlyMap<string, StreamReader>;
  /** A client of each region's database that sends requests without the simulated network. */
  readonly clientOf: (region: string) => DynamoDBClient;
  /** Clock for lag and last-writer-wins timestamps, in epoch milliseconds. */
  readonly now?: () => number;
}

// A replica write that will appear on the target's stream. The replicator
// skips that record instead of replicating it again, so changes never echo back.
interface ExpectedEcho {
  readonly image: string;
  readonly timestamp: number;
}

function isConditionalCheckFailed(error: unknown): boolean {
  return (error as { name?: string }).name === "ConditionalCheckFailedException";
}

/**
 * Copies each region's changes to the other regions the way a DynamoDB global
 * table in multi-region eventual consistency mode does: asynchronously, with
 * conflicts settled per whole item by last writer wins.
 *
 * Per region it keeps the newest change decided for each key, including
 * deletes, and writes an incoming change only when it is newer. Each replica
 * write is conditional on the item still being what the replicator last
 * decided. A local write that the replicator has not read yet therefore makes
 * the condition fail, and the replica write is decided again after the next
 * poll, once that local write has been read.
 */
export class Replicator {
  readonly #options: ReplicatorOptions;
  readonly #now: () => number;
  readonly #queue = new DeliveryQueue();
  readonly #versions = new Map<string, Map<string, Change>>();
  readonly #echoes = new Map<string, Map<string, ExpectedEcho[]>>();
  readonly #counts = new Map<string, { applied: number; dropped: number }>();
  #nextChangeId = 1;
  #lastTimestamp = 0;
  #round = 0;
  #errors = 0;
  #lastError: unknown;

  constructor(options: ReplicatorOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;

    for (const region of options.regions) {
      this.#versions.set(region, new Map());
      this.#echoes.set(region, new Map());
    }
  }

  /** Number of replica writes that failed for a reason other than their condition. */
  get errors(): number {
    return this.#errors;
  }

  /** The most recent error counted in {@link errors}. */
  get lastError(): unknown {
    return this.#lastError;
  }

  /** Reads every region's stream once, then runs every delivery that is due. */
  async runRound(): Promise<RoundResult> {
    const counts = await Promise.all(this.#options.regions.map((region) => this.poll(region)));
    const deliveries = await this.deliver();

    this.#round += 1;
    return { records: counts.reduce((sum, count) => sum + count, 0), deliveries };
  }

  /** Reads one page of `region`'s stream and queues its changes. Returns the number of records read. */
  async poll(region: string): Promise<number> {
    const reader = this.#options.readers.get(region);
    if (reader === undefined) throw new RangeError(`No stream reader for region ${region}.`);

    const records = await reader.poll();
    for (const record of records) this.#observe(region, record);

    return records.length;
  }

  /** Runs the due deliveries, one at a time per target region. Returns how many ran. */
  async deliver(): Promise<number> {
    const now = this.#now();
    const isPaused = (link: Link) => this.#options.links.isPaused(link);

    const perTarget = await Promise.all(
      this.#options.regions.map(async (target) => {
        const runnable = this.#queue.takeRunnable(target, now, this.#round, isPaused);
        for (const delivery of runnable) await this.#apply(delivery);

        return runnable.length;
      }),
    );

    return perTarget.reduce((sum, count) => sum + count, 0);
  }

  /** Sets the lag of one link or of all links, including the changes already queued on them. */
  setLag(setting: LagSetting, link?: Link): void {
    const links = this.#options.links;

    for (const each of links.setLag(setting, link)) this.#queue.redrawLags(each, () => links.drawLag(each));
  }

  /** Returns the counts of one link, or summed over all links. */
  counts(link?: Link): ReplicationCounts {
    let applied = 0;
    let dropped = 0;
    let pending = 0;

    for (const each of this.#options.links.select(link)) {
      const counts = this.#counts.get(linkName(each));
      applied += counts?.applied ?? 0;
      dropped += counts?.dropped ?? 0;
      pending += this.#queue.count((delivery) => travelsOver(delivery, each));
    }

    return { applied, dropped, pending };
  }

  /** Number of queued deliveries that are not held back by a paused link. */
  runnablePending(): number {
    const links = this.#options.links;
    return this.#queue.count((delivery) => delivery.kind === "repair" || !links.isPaused({ from: delivery.change.origin, to: delivery.target }));
  }

  /** Milliseconds until the last queued delivery is due. */
  longestWait(): number {
    return this.#queue.longestWait(this.#now());
  }

  #observe(region: string, record: ChangeRecord): void {
    const key = canonicalImage(record.keys);
    const echo = this.#takeEcho(region, key, canonicalImage(record.newImage));

    if (echo !== undefined) {
      this.#repairIfOverwritten(region, key, echo, record.newImage);
      return;
    }

    this.#lastTimestamp = Math.max(this.#now(), this.#lastTimestamp + 1);
    const change: Change = { id: this.#nextChangeId++, origin: region, key, keys: record.keys, image: record.newImage, timestamp: this.#lastTimestamp };

    this.#versionsOf(region).set(key, change);

    for (const link of this.#options.links.select().filter((each) => each.from === region)) {
      this.#queue.add({ kind: "replicate", change, target: link.to, observedAt: this.#now(), lagMs: this.#options.links.drawLag(link), notBeforeRound: 0 });
    }
  }

  // An echo that arrives after a newer local change of the same item means
  // that the replica write overwrote that change, because a condition cannot
  // see an attribute that the local write added. Writing the newer version
  // back makes the region converge again.
  #repairIfOverwritten(region: string, key: string, echo: ExpectedEcho, held: Image | undefined): void {
    if ((this.#echoesOf(region).get(key)?.length ?? 0) > 0) return;

    const newest = this.#versionsOf(region).get(key);
    if (newest === undefined || newest.timestamp <= echo.timestamp) return;

    this.#queue.add({ kind: "repair", change: newest, target: region, expected: held, observedAt: this.#now(), lagMs: 0, notBeforeRound: 0 });
  }

  async #apply(delivery: Delivery): Promise<void> {
    const { change, target } = delivery;
    const versions = this.#versionsOf(target);
    const current = versions.get(change.key);

    if (delivery.kind === "replicate" && current !== undefined && current.timestamp >= change.timestamp) {
      this.#countOn({ from: change.origin, to: target }).dropped += 1;
      return;
    }

    // A repair is stale once a newer change of the item has been decided.
    if (delivery.kind === "repair" && current !== change) return;

    const expected = delivery.kind === "repair" ? delivery.expected : current?.image;
    const write = buildReplicaWrite(this.#options.tableName, change.keys, change.image, expected);
    const echo: ExpectedEcho = { image: canonicalImage(change.image), timestamp: change.timestamp };

    this.#expectEcho(target, change.key, echo);
    versions.set(change.key, change);

    let previous: Image | undefined;
    try {
      previous = await this.#send(target, write);
    } catch (error) {
      this.#undo(delivery, current, echo, error);
      return;
    }

    // DynamoDB writes no stream record when a write leaves the item unchanged.
    if (canonicalImage(previous) === echo.image) this.#dropEcho(target, change.key, echo);
    if (delivery.kind === "replicate") this.#countOn({ from: change.origin, to: target }).applied += 1;
  }

  #undo(delivery: Delivery, previousVersion: Change | undefined, echo: ExpectedEcho, error: unknown): void {
    const { change, target } = delivery;
    const versions = this.#versionsOf(target);

    this.#dropEcho(target, change.key, echo);

    // Restore the decided version unless the stream showed a newer change meanwhile.
    if (versions.get(change.key) === change) {
      if (previousVersion === undefined) versions.delete(change.key);
      else versions.set(change.key, previousVersion);
    }

    // A failed condition means a local write that was not read yet. The retry after the next poll decides again.
    if (!isConditionalCheckFailed(error)) {
      this.#errors += 1;
      this.#lastError = error;
    }

    delivery.notBeforeRound = this.#round + 1;
    this.#queue.add(delivery);
  }

  async #send(target: string, write: ReplicaWrite): Promise<Image | undefined> {
    const client = this.#options.clientOf(target);
    const output = write.kind === "put" ? await client.send(new PutItemCommand(write.input)) : await client.send(new DeleteItemCommand(write.input));

    return output.Attributes;
  }

  #expectEcho(region: string, key: string, echo: ExpectedEcho): void {
    const echoes = this.#echoesOf(region);
    const pending = echoes.get(key);

    if (pending === undefined) echoes.set(key, [echo]);
    else pending.push(echo);
  }

  #takeEcho(region: string, key: string, image: string): ExpectedEcho | undefined {
    const pending = this.#echoesOf(region).get(key);
    const index = pending?.findIndex((echo) => echo.image === image) ?? -1;
    if (pending === undefined || index < 0) return undefined;

    const [echo] = pending.splice(index, 1);
    if (pending.length === 0) this.#echoesOf(region).delete(key);

    return echo;
  }

  #dropEcho(region: string, key: string, echo: ExpectedEcho): void {
    const pending = this.#echoesOf(region).get(key);
    const index = pending?.indexOf(echo) ?? -1;
    if (pending === undefined || index < 0) return;

    pending.splice(index, 1);
    if (pending.length === 0) this.#echoesOf(region).delete(key);
  }

  #versionsOf(region: string): Map<string, Change> {
    const versions = this.#versions.get(region);
    if (versions === undefined) throw new RangeError(`Region ${region} is not part of this global table.`);

    return versions;
  }

  #echoesOf(region: string): Map<string, ExpectedEcho[]> {
    const echoes = this.#echoes.get(region);
    if (echoes === undefined) throw new RangeError(`Region ${region} is not part of this global table.`);

    return echoes;
  }

  #countOn(link: Link): { applied: number; dropped: number } {
    const name = linkName(link);
    let counts = this.#counts.get(name);

    if (counts === undefined) {
      counts = { applied: 0, dropped: 0 };
      this.#counts.set(name, counts);
    }

    return counts;
  }
}
