import { createHash } from "node:crypto";
import type { ErpOrder, ErpStockLevel } from "../../shared/integrations/erp";

/** An order the ERP accepted. */
export interface ErpOrderRecord {
  orderNumber: string;
  status: "accepted";
  /** The body as received. */
  order: ErpOrder;
  /** The key of the request that created it. */
  idempotencyKey: string;
  createdAt: string;
}

/** What the ERP remembers of an Idempotency-Key: the body's fingerprint and the answer to replay. */
export interface IdempotencyRecord {
  key: string;
  fingerprint: string;
  state: "in_progress" | "completed";
  /** Answer replayed for the same key and body (201 becomes 200). */
  response?: { status: number; body: unknown };
  createdAt: string;
}

/** One `POST /orders` as the ERP saw it (after auth and fault injection). */
export interface OrderRequestLogEntry {
  idempotencyKey: string | null;
  sourceOrderId: string | null;
  status: number;
  outcome: "created" | "replayed" | "duplicate" | "rejected" | "in_progress" | "key_reused" | "response_lost";
  orderNumber?: string;
  at: string;
}

/** Switches that change how the ERP behaves, settable at `POST /__admin/behaviour`. */
export interface ErpBehaviour {
  /** SKUs the ERP knows; lines with another SKU are rejected (422). Empty = accept any SKU. */
  knownSkus: string[];
  /** Time an order takes to be processed; a second request with the same key meanwhile gets 409 `request_in_progress`. */
  orderProcessingMs: number;
  /** The next N created orders are committed but their response is lost (socket reset): the client must retry with the same key. */
  lostResponses: number;
}

/** Sort/identity key of a stock level: `(sku, unit, warehouse)`. */
export const stockKey = (level: Pick<ErpStockLevel, "sku" | "unit" | "warehouse">): string => `${level.sku}\u0000${level.unit}\u0000${level.warehouse ?? ""}`;

/** JSON with sorted keys, so two equal bodies fingerprint alike whatever their key order. */
const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value ?? null);
};

export const fingerprint = (body: unknown): string => createHash("sha256").update(canonical(body)).digest("hex");

/** The ERP's whole in-memory state. */
export class ErpState {
  readonly orders = new Map<string, ErpOrderRecord>();
  /** `system\0orderId` -> order number: the duplicate check. */
  readonly bySource = new Map<string, string>();
  readonly idempotency = new Map<string, IdempotencyRecord>();
  readonly stock = new Map<string, ErpStockLevel>();
  readonly orderRequests: OrderRequestLogEntry[] = [];
  behaviour: ErpBehaviour = { knownSkus: [], orderProcessingMs: 0, lostResponses: 0 };
  private sequence = 0;

  nextOrderNumber(): string {
    this.sequence += 1;
    return `ERP-${String(this.sequence).padStart(6, "0")}`;
  }

  /** Adds or replaces stock levels; `updatedAt` defaults to now. */
  putStock(levels: Array<Omit<ErpStockLevel, "updatedAt"> & { updatedAt?: string }>): number {
    const now = new Date().toISOString();
    for (const level of levels) {
      const stored: ErpStockLevel = {
        sku: level.sku,
        unit: level.unit,
        quantity: String(level.quantity),
        warehouse: level.warehouse ?? null,
        updatedAt: level.updatedAt ?? now,
      };
      this.stock.set(stockKey(stored), stored);
    }
    return levels.length;
  }

  clear(): void {
    this.orders.clear();
    this.bySource.clear();
    this.idempotency.clear();
    this.stock.clear();
    this.orderRequests.length = 0;
    this.behaviour = { knownSkus: [], orderProcessingMs: 0, lostResponses: 0 };
    this.sequence = 0;
  }
}

/** Default seed: one `each` level for the Oro sandbox's demo SKUs `SKU-0001`..`SKU-0030`. */
export const seedStock = (state: ErpState): void => {
  state.putStock(
    Array.from({ length: 30 }, (_, i) => ({
      sku: `SKU-${String(i + 1).padStart(4, "0")}`,
      unit: "each",
      quantity: String(100 + i),
      updatedAt: "2026-01-01T00:00:00.000Z",
    })),
  );
};
