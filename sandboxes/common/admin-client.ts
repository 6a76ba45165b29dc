import type { FaultConfig } from "./faults";
import type { SandboxStats } from "./stats";
import { ADMIN_PREFIX } from "./controlled-server";

/** Typed helpers over the shared `/__admin` endpoints of any sandbox. */
export interface AdminClient {
  /** Clears faults and stats and restores the seeded state (`{ seed: false }` = empty state). */
  reset(options?: { seed?: boolean }): Promise<void>;
  /** Replaces the fault configuration (or merges with `{ merge: true }`). */
  faults(config: FaultConfig, options?: { merge?: boolean }): Promise<FaultConfig>;
  stats(): Promise<SandboxStats>;
  resetStats(): Promise<void>;
  /** Any admin call: `request("GET", "/state/products")`. Throws on a non-2xx answer. */
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
}

/** Builds an {@link AdminClient} for a sandbox at `baseUrl`. */
export function createAdminClient(baseUrl: string): AdminClient {
  const request = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${baseUrl}${ADMIN_PREFIX}${path}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Sandbox admin ${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    request,
    reset: async (options) => {
      await request("POST", "/reset", options ?? {});
    },
    faults: (config, options) => request<FaultConfig>("POST", options?.merge ? "/faults?merge=true" : "/faults", config),
    stats: () => request<SandboxStats>("GET", "/stats"),
    resetStats: async () => {
      await request("POST", "/stats/reset");
    },
  };
}
