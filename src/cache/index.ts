export { SessionCache } from "./session-cache.js";
export { defaultCacheOptions, resolveCacheOptions, type CacheOptions, type ResolvedCacheOptions } from "./options.js";
export { digestSessionToken, type CacheEntity, type CacheEvent, type CacheEventListener } from "./events.js";
export type { CacheLoaders, Clock, SessionAndUser } from "./types.js";
