/**
 * undici's `Pool` and the `request` method on it, and nothing else of undici. undici's index
 * (`import("undici")`) also loads fetch, WebSocket, EventSource, the HTTP cache and the mock
 * agents, none of which this project uses: about 35 ms of CPU on a cold container's first record
 * (bench:coldstart, bench/reports/latest.md). The index itself does exactly this: it adds the API
 * methods (`request`, `stream`, ...) to `Dispatcher.prototype` (undici 7.x `index.js`).
 *
 * These are undici's internal paths (the package has no `exports` map, so Node and esbuild resolve
 * them); test/http-transport.test.ts and the other HTTP tests fail if an upgrade moves them.
 */
import type { Pool as UndiciPool } from "undici";
import Dispatcher from "undici/lib/dispatcher/dispatcher.js";
import Pool from "undici/lib/dispatcher/pool.js";
import * as api from "undici/lib/api/index.js";

Object.assign(Dispatcher.prototype, api);

export { Pool };
export type { UndiciPool };
