import { createLagSampler, type LagSampler, type LagSetting } from "./lag.js";

/** One direction of replication, from the region where a change was written to a replica region. */
export interface Link {
  readonly from: string;
  readonly to: string;
}

/** Returns the map key of a link, such as `us-east-1->eu-west-1`. */
export function linkName(link: Link): string {
  return `${link.from}->${link.to}`;
}

/** Lists every ordered pair of distinct regions. */
export function allLinks(regions: readonly string[]): Link[] {
  return regions.flatMap((from) => regions.filter((to) => to !== from).map((to) => ({ from, to })));
}

/** Lag and pause state of every link between the regions of one global table. */
export class LinkControls {
  readonly #regions: readonly string[];
  readonly #samplers = new Map<string, LagSampler>();
  readonly #paused = new Set<string>();

  constructor(regions: readonly string[], lag: LagSetting) {
    this.#regions = regions;

    const sampler = createLagSampler(lag);
    for (const link of allLinks(regions)) this.#samplers.set(linkName(link), sampler);
  }

  /**
   * Returns `[link]` after checking that both regions belong to the table, or
   * every link when `link` is undefined.
   */
  select(link?: Link): Link[] {
    if (link === undefined) return allLinks(this.#regions);

    for (const region of [link.from, link.to]) {
      if (!this.#regions.includes(region)) {
        throw new RangeError(`Region ${region} is not part of this global table, whose regions are ${this.#regions.join(", ")}.`);
      }
    }

    if (link.from === link.to) throw new RangeError(`A link needs two different regions, got ${link.from} twice.`);

    return [{ from: link.from, to: link.to }];
  }

  /** Sets the lag of one link, or of every link. Returns the links changed. */
  setLag(setting: LagSetting, link?: Link): Link[] {
    const selected = this.select(link);

    // One sampler shared by all selected links, so a seeded sequence is drawn once across them.
    const sampler = createLagSampler(setting);
    for (const each of selected) this.#samplers.set(linkName(each), sampler);

    return selected;
  }

  pause(link?: Link): void {
    for (const each of this.select(link)) this.#paused.add(linkName(each));
  }

  resume(link?: Link): void {
    for (const each of this.select(link)) this.#paused.delete(linkName(each));
  }

  isPaused(link: Link): boolean {
    return this.#paused.has(linkName(link));
  }

  /** Draws the lag in milliseconds for the next change sent over `link`. */
  drawLag(link: Link): number {
    const sampler = this.#samplers.get(linkName(link));
    if (sampler === undefined) throw new RangeError(`No link ${linkName(link)} in this global table.`);

    return sampler();
  }
}
