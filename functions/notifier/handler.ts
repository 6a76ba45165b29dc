/**
 * Lambda entry of the notifier (bundled by infra/stack.ts from this path). Environment, set by the
 * stack: ORO_SECRET_NAME, QUEUE_URL (alerts queue), DLQ_URL (its DLQ), MAX_RECEIVE_COUNT, STATE_TABLE_NAME.
 */
import { createNotifierHandler } from "./create-handler";

export const handler = createNotifierHandler();
