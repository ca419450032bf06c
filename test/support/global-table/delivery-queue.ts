import type { Image } from "./images.js";
import type { Link } from "./links.js";

/** An item-level change, written in its origin region and read from that region's stream. */
export interface Change {
  /** Order in which the replicator read the change; unique within one global table. */
  readonly id: number;
  readonly origin: string;
  /** {@link canonicalImage} of the key attributes. */
  readonly key: string;
  readonly keys: Image;
  /** The item after the change; undefined when the change removed it. */
  readonly image: Image | undefined;
  /**
   * Last-writer-wins timestamp in epoch milliseconds, given once when the
   * change is first read from its origin stream and strictly increasing
   * across the whole table, so no two changes tie.
   */
  readonly timestamp: number;
}

/**
 * A pending write of one change to one region.
 *
 * A `replicate` delivery copies a change over a link and is subject to the
 * link's lag and pause. A `repair` delivery writes back a region's newest
 * version after an older replica write overwrote it. `expected` is the item
 * that the region contains instead.
 */
export type Delivery = {
  readonly change: Change;
  readonly target: string;
  readonly observedAt: number;
  lagMs: number;
  /** Poll round from which the delivery may run; a retry waits for the next round. */
  notBeforeRound: number;
} & ({ readonly kind: "replicate" } | { readonly kind: "repair"; readonly expected: Image | undefined });

function dueAt(delivery: Delivery): number {
  return delivery.observedAt + delivery.lagMs;
}

function compareDeliveries(left: Delivery, right: Delivery): number {
  return dueAt(left) - dueAt(right) || left.change.id - right.change.id;
}

/** Returns whether `delivery` travels over `link`. Repairs travel over no link. */
export function travelsOver(delivery: Delivery, link: Link): boolean {
  return delivery.kind === "replicate" && delivery.change.origin === link.from && delivery.target === link.to;
}

/** Deliveries waiting for their lag to pass, for their link to resume, or for a retry. */
export class DeliveryQueue {
  readonly #byTarget = new Map<string, Delivery[]>();

  add(delivery: Delivery): void {
    const pending = this.#byTarget.get(delivery.target);

    if (pending === undefined) this.#byTarget.set(delivery.target, [delivery]);
    else pending.push(delivery);
  }

  /**
   * Removes and returns the deliveries to `target` that may run now, ordered
   * by due time and then by the order in which their changes were read.
   */
  takeRunnable(target: string, now: number, round: number, isPaused: (link: Link) => boolean): Delivery[] {
    const pending = this.#byTarget.get(target) ?? [];
    const runnable: Delivery[] = [];
    const waiting: Delivery[] = [];

    for (const delivery of pending) {
      const paused = delivery.kind === "replicate" && isPaused({ from: delivery.change.origin, to: target });
      const ready = !paused && dueAt(delivery) <= now && delivery.notBeforeRound <= round;

      (ready ? runnable : waiting).push(delivery);
    }

    this.#byTarget.set(target, waiting);
    return runnable.sort(compareDeliveries);
  }

  /** Draws a new lag for every delivery queued on `link`, so a lag change also applies to them. */
  redrawLags(link: Link, drawLag: () => number): void {
    for (const delivery of this.#byTarget.get(link.to) ?? []) {
      if (travelsOver(delivery, link)) delivery.lagMs = drawLag();
    }
  }

  /** Counts the queued deliveries for which `predicate` holds. */
  count(predicate: (delivery: Delivery) => boolean = () => true): number {
    let total = 0;

    for (const pending of this.#byTarget.values()) {
      for (const delivery of pending) if (predicate(delivery)) total += 1;
    }

    return total;
  }

  /** Milliseconds until the last queued delivery is due, or 0 when all are due. */
  longestWait(now: number): number {
    let longest = 0;

    for (const pending of this.#byTarget.values()) {
      for (const delivery of pending) longest = Math.max(longest, dueAt(delivery) - now);
    }

    return longest;
  }
}
