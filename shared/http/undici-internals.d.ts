// Types of the undici internals shared/http/undici-pool.ts loads (undici ships types for its index only).
declare module "undici/lib/dispatcher/dispatcher.js" {
  const Dispatcher: { prototype: object };
  export default Dispatcher;
}
declare module "undici/lib/dispatcher/pool.js" {
  import type { Pool } from "undici";
  const PoolClass: typeof Pool;
  export default PoolClass;
}
declare module "undici/lib/api/index.js" {
  export const request: unknown;
  export const stream: unknown;
  export const pipeline: unknown;
  export const upgrade: unknown;
  export const connect: unknown;
}
