import { createOurAdapter } from "../adapters.js";
import { createRequestMeter } from "../middleware.js";
import { pick, type Scenario } from "./scenario.js";

/** This adapter with its default cache, cycling through a few tokens, so nearly every look-up is a cache hit. */
export const hotScenario: Scenario = {
  id: "hot",
  title: "ours, default cache, the same few sessions in turn",
  usesCache: true,
  needsRegions: false,
  async setUp(context) {
    const { environment, options, seeded } = context;
    const meter = createRequestMeter();
    const adapter = createOurAdapter(environment.createDocument(meter), environment.tableName, undefined);
    const tokens = seeded.ours.tokens.slice(0, options.hotSessions);
    let next = 0;

    const heapBytesPerSession = await context.defaultCacheHeapBytesPerSession();

    const lookup = async () => {
      const token = pick(tokens, next);
      next += 1;
      return (await adapter.getSessionAndUser(token)) !== null;
    };

    return { meter, lookup, heapBytesPerSession };
  },
};
