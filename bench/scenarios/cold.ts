import { createOurAdapter } from "../adapters.js";
import { createRequestMeter } from "../middleware.js";
import { uniformIndex } from "../random.js";
import { pick, type Scenario } from "./scenario.js";

/** This adapter with `cache: false`, so every look-up goes to DynamoDB. */
export const coldScenario: Scenario = {
  id: "cold",
  title: "ours, cache off, sessions it seeded, drawn uniformly",
  usesCache: false,
  needsRegions: false,
  async setUp(context) {
    const meter = createRequestMeter();
    const adapter = createOurAdapter(context.environment.createDocument(meter), context.environment.tableName, false);
    const tokens = context.seeded.ours.tokens.slice(0, context.options.uniformSessions);
    const random = context.createRandom("cold");

    const lookup = async () => {
      const token = pick(tokens, uniformIndex(random, tokens.length));
      return (await adapter.getSessionAndUser(token)) !== null;
    };

    return { meter, lookup };
  },
};
