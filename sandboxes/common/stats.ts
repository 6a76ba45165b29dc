/** Request counters a sandbox exposes at `GET /__admin/stats`. */
export interface SandboxStats {
  /** All requests (admin excluded) since the last reset. */
  requests: number;
  /** Requests per route key, e.g. `GET /admin/api/products/{id}`. */
  byRoute: Record<string, number>;
  /** Responses per HTTP status (faults included). */
  byStatus: Record<string, number>;
  /** Requests being handled right now / waiting for a slot. */
  inFlight: number;
  queued: number;
  /** Highest number of requests handled at once / waiting at once. */
  maxConcurrencyObserved: number;
  maxQueuedObserved: number;
  /** Faults injected by kind. */
  faults: Record<string, number>;
}

/** Counts requests per route and per status. */
export class RequestCounter {
  requests = 0;
  readonly byRoute = new Map<string, number>();
  readonly byStatus = new Map<number, number>();

  countRequest(route: string): void {
    this.requests += 1;
    this.byRoute.set(route, (this.byRoute.get(route) ?? 0) + 1);
  }

  countStatus(status: number): void {
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
  }

  reset(): void {
    this.requests = 0;
    this.byRoute.clear();
    this.byStatus.clear();
  }
}

/**
 * Turns a path into a route key by replacing id-like segments (digits, UUIDs, `<uuid>-<n>`, codes
 * after a collection) with `{id}`, so stats group `/admin/api/products/1` and `/products/2` together.
 */
export function defaultRouteKey(method: string, path: string, collectionDepth = 3): string {
  const segments = path.split("/");
  const normalized = segments.map((segment, index) => {
    if (index <= collectionDepth) return segment;
    if (index === collectionDepth + 1) return "{id}";
    return /^\d+$/.test(segment) || /^[0-9a-f]{8}-[0-9a-f-]{27,}$/i.test(segment) ? "{id}" : segment;
  });
  return `${method} ${normalized.join("/")}`;
}
