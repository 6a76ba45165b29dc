import type { ConnectorContext, MessageSchemas } from "../../shared/connector";
import type { ErpClient } from "../../shared/integrations/erp";
import type { NormalizedMessage } from "../../shared/messages";
import type { SyncWindow } from "../../shared/sync";
import { applyStockLevels } from "./apply-levels";
import { parseSettings } from "./settings";

/** Where a page of a window continues: the window's bounds, the cursor, the page's number (1-based). */
export interface PagePosition {
  from: string;
  to: string;
  cursor?: string;
  page: number;
}

export const positionOf = (window: SyncWindow): PagePosition => ({ from: window.from.toISOString(), to: window.to.toISOString(), page: 1 });

/**
 * Syncs one page of a window: list `GET /stock` changes in `[from, to)` at the cursor, apply them,
 * then put the next page on the connector's own queue. One page per message keeps every
 * invocation short however large the window; applying before enqueueing means a retried page
 * never starts a second chain.
 */
export const syncPage = async <M extends MessageSchemas>(position: PagePosition, meta: NormalizedMessage, ctx: ConnectorContext<ErpClient, M>): Promise<void> => {
  const { pageSize } = parseSettings(ctx.settings);
  const page = await ctx.client.listStock({ updatedFrom: position.from, updatedTo: position.to, limit: pageSize, ...(position.cursor ? { cursor: position.cursor } : {}) }, { signal: ctx.signal });
  ctx.logger.info("stock page read", { from: position.from, to: position.to, page: position.page, levels: page.items.length, more: Boolean(page.nextCursor) });
  await applyStockLevels(page.items, meta, ctx);
  if (!page.nextCursor) return;
  const next: PagePosition = { ...position, cursor: page.nextCursor, page: position.page + 1 };
  await ctx.enqueue([{ type: "page", id: `${meta.correlationId}/page-${next.page}`, payload: { ...next } }]);
};
