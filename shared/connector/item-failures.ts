import type * as z from "zod/mini";
import type { PermanentError } from "../errors";
import type { NormalizedMessage } from "../messages";
import type { ConnectorContext, ItemFailure, MessageSchemas } from "./define";

/** A replay of one item: a message of one of the connector's own types that carries just that item. */
export interface ItemReplay<M extends MessageSchemas, K extends keyof M & string> {
  type: K;
  /** The item's key (SKU, external id): with the failed message's id it makes the replay's id. */
  key: string;
  payload: z.input<M[K]> & Record<string, unknown>;
}

/** A connector's messages that include at least the replay messages `R` (any others besides). */
export type WithReplays<R extends MessageSchemas> = MessageSchemas & { [K in keyof R]: R[K] };

/**
 * Per-item failures of one multi-item message, each with a one-item replay, typed by the replay
 * messages (no casts): `add` as items fail, `report` once at the end. The runtime
 * (`ctx.failItems`) sends an alert per item and puts each replay in the DLQ, so a redrive retries
 * exactly the failed items while the rest of the message has landed.
 *
 * `R` needs to name only the messages the replays use (`{ "stock.changed": schema }`), so a helper
 * shared by connectors, or one that is generic over its connector's messages, reports into any
 * context whose messages include them.
 *
 * @example
 * const failures = new ItemFailures<typeof messages>(message.meta);
 * failures.add(new ValidationError(`no product ${sku}`, { externalId: sku }), { type: "items", key: sku, payload: { items: [item] } });
 * await failures.report(ctx);
 */
export class ItemFailures<R extends MessageSchemas> {
  private readonly failures: ItemFailure<R>[] = [];

  constructor(private readonly meta: NormalizedMessage) {}

  add<K extends keyof R & string>(error: PermanentError, replay: ItemReplay<R, K>): void {
    // The replay id is unique per failed message and item: a redrive of it is deduplicated like any message.
    this.failures.push({ error, replay: { type: replay.type, id: `${this.meta.id}/${replay.key}`, payload: replay.payload } });
  }

  get size(): number {
    return this.failures.length;
  }

  /** Hands the failures to the runtime (nothing when none failed); `ctx`'s messages include the replays'. */
  report<C, M extends WithReplays<R>>(ctx: Pick<ConnectorContext<C, M>, "failItems">): Promise<void> {
    // A replay's type is a key of R, hence of M: the failures are the connector's as they are.
    const failures: ItemFailure<M>[] = this.failures;
    return ctx.failItems(failures);
  }
}
