/**
 * Building blocks every sandbox (Oro, Akeneo, ERP) shares: a 127.0.0.1-only HTTP server with
 * latency, a FIFO concurrency cap, seeded fault injection, request stats and `/__admin` endpoints.
 */
export { createAdminClient } from "./admin-client";
export type { AdminClient } from "./admin-client";
export { ADMIN_PREFIX, SandboxControls, startControlledServer } from "./controlled-server";
export type { AdminRoute, ControlledServer, ControlledServerOptions } from "./controlled-server";
export { FaultInjector } from "./faults";
export type { FaultConfig, FaultDecision, FaultTrigger } from "./faults";
export { FifoSemaphore } from "./fifo-semaphore";
export { BodyTooLargeError, DEFAULT_MAX_BODY_BYTES, listenLocal, makeBodySlow, readBody, send, sendJson } from "./http";
export type { ListeningServer } from "./http";
export { createPrng } from "./prng";
export { RequestCounter, defaultRouteKey } from "./stats";
export type { SandboxStats } from "./stats";
