import { coldScenario } from "./cold.js";
import { hotScenario } from "./hot.js";
import { mixedScenario } from "./mixed.js";
import { officialScenario } from "./official.js";
import { createRemoteFreshScenarios } from "./remote-fresh.js";
import type { Scenario } from "./scenario.js";

export { scenarioIds, type Scenario, type ScenarioContext, type ScenarioId, type ScenarioRunner, type ScenarioSetup } from "./scenario.js";

/** Creates every scenario in report order, as fresh objects per run because remote-fresh keeps its region pair in a closure. */
export function createScenarios(): readonly Scenario[] {
  return [officialScenario, coldScenario, hotScenario, mixedScenario, ...createRemoteFreshScenarios()];
}
