import { createOfficialAdapter } from "../adapters.js";
import { createRequestMeter } from "../middleware.js";
import { uniformIndex } from "../random.js";
import { pick, type Scenario } from "./scenario.js";

/** `@auth/dynamodb-adapter` reading sessions it wrote: a Query on GSI1, then a GetItem for the user. */
export const officialScenario: Scenario = {
  id: "official",
  title: "@auth/dynamodb-adapter, sessions it seeded, drawn uniformly",
  usesCache: false,
  needsRegions: false,
  async setUp(context) {
    const meter = createRequestMeter();
    const adapter = createOfficialAdapter(context.environment.createDocument(meter), context.environment.tableName);
    const tokens = context.seeded.official.tokens;
    const random = context.createRandom("official");

    const lookup = async () => {
      const token = pick(tokens, uniformIndex(random, tokens.length));
      return (await adapter.getSessionAndUser(token)) !== null;
    };

    return { meter, lookup };
  },
};
