import { createActiveClock } from "../active-clock.js";
import { createOurAdapter } from "../adapters.js";
import { createRequestMeter } from "../middleware.js";
import { createZipfSampler } from "../random.js";
import { pick, type Scenario } from "./scenario.js";

/**
 * This adapter with its default cache over every seeded session. Popular
 * sessions are drawn far more often (Zipf), as in real traffic, so the hit
 * ratio shows how much of such traffic the default cache absorbs.
 */
export const mixedScenario: Scenario = {
  id: "mixed",
  title: "ours, default cache, all seeded sessions drawn by a Zipf distribution",
  usesCache: true,
  needsRegions: false,
  async setUp(context) {
    const { environment, options, seeded } = context;
    const meter = createRequestMeter();
    const clock = createActiveClock();
    const adapter = createOurAdapter(environment.createDocument(meter), environment.tableName, undefined, undefined, clock);
    const tokens = seeded.ours.tokens;
    const drawRank = createZipfSampler(tokens.length, options.zipfExponent, context.createRandom("mixed"));

    const heapBytesPerSession = await context.defaultCacheHeapBytesPerSession();

    const lookup = () => clock.during(async () => (await adapter.getSessionAndUser(pick(tokens, drawRank()))) !== null);

    return { meter, lookup, heapBytesPerSession };
  },
};
