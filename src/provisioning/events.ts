/**
 * Progress of a provisioning call, passed to its `onProgress` option. Waits
 * for replicas can take minutes to hours, so the command line prints these
 * as they happen.
 */
export type ProvisioningEvent =
  | { readonly type: "table-creating"; readonly tableName: string }
  | { readonly type: "table-exists"; readonly tableName: string }
  | { readonly type: "table-active"; readonly tableName: string }
  | { readonly type: "time-to-live-enabled"; readonly tableName: string; readonly attributeName: string }
  | { readonly type: "stream-enabling"; readonly tableName: string }
  | { readonly type: "replica-skipped"; readonly tableName: string; readonly region: string }
  | {
      readonly type: "replicas-creating";
      readonly tableName: string;
      readonly regions: readonly string[];
      readonly witnessRegion: string | undefined;
    }
  | { readonly type: "replicas-active"; readonly tableName: string; readonly regions: readonly string[] };

/** Receiver of {@link ProvisioningEvent}s. */
export type ProgressListener = (event: ProvisioningEvent) => void;

/** Drops every event. It is the default listener. */
export function ignoreProgress(): void {}
