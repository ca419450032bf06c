export { addReplicas, type AddReplicasOptions, type AddReplicasResult } from "./add-replicas.js";
export { buildCreateTableInput, createTable, type CreateTableOptions, type CreateTableResult } from "./create-table.js";
export type { ProgressListener, ProvisioningEvent } from "./events.js";
export type { GlobalTableConsistency } from "./replica-plan.js";
export { checkTableSchema, findSchemaProblems, type SchemaProblem, type SchemaProblemKind } from "./schema.js";
export { sweepExpired, type SweepExpiredOptions, type SweepExpiredResult } from "./sweep-expired.js";
export { verifyTable } from "./verify-table.js";
export type { WaitOptions } from "./wait.js";
