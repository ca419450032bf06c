/**
 * DynamoDB global-table emulator for multi-region tests and benchmarks: one
 * table per region database of a DynamoDB Local process, replicated by
 * reading each region's stream, with controllable lag, pauses, simulated
 * network faults and request counts.
 */
export { GlobalTable, startGlobalTable, type DocumentClientOptions } from "./global-table.js";
export type { GlobalTableOptions } from "./options.js";
export type { LagSetting } from "./lag.js";
export type { Link } from "./links.js";
export { SimulatedNetworkError, type NetworkDelay, type RequestFilter } from "./network.js";
export type { ReplicationCounts } from "./replicator.js";
