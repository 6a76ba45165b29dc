import type { IncomingMessage, ServerResponse } from "node:http";
import { send } from "../../common";
import type { ResourceDef } from "../model";
import type { WriteEnv } from "./write";
import type { RenderOptions } from "../jsonapi/document";
import type { WebhookDispatcher } from "../webhooks";
import type { SandboxAcl } from "../acl";

/** JSON:API media type (doc@6.1:api/client-requirements.md). */
export const JSON_API = "application/vnd.api+json";

/** Everything request handlers share. */
export interface ApiEnv extends WriteEnv {
  webhooks: WebhookDispatcher;
  /** Entity-type permissions of the API user (test control, ../acl.ts). */
  acl: SandboxAcl;
  /** Async batch: ms between new -> running -> finished (lets tests see the states). */
  asyncDelayMs: number;
  /** Async batch: processing time of one chunk of 100 items (0 = all chunks at once). */
  asyncChunkMs: number;
  /** Async batch: chunks processed at once (Oro's message-queue consumers). */
  asyncConsumers: number;
  /** Errors of async operations by operation id. */
  asyncErrors: Map<string, AsyncOperationError[]>;
  /** Test controls of the batch API (README "Differs from Oro on purpose"), see {@link BatchControls}. */
  batchControls: BatchControls;
}

/**
 * States of a batch real Oro reaches through its message queue and its clock, which the in-process
 * sandbox never does by itself; each counts down per request.
 */
export interface BatchControls {
  /**
   * The next `syncOverWait` sync batch requests outlast Oro's `sync_processing_wait_timeout`: they are
   * answered like an async request (202, `Content-Location`, the operation) and go on asynchronously
   * (platform 6.1.11 Processor/UpdateList/ProcessSynchronousOperation.php, SetContentLocationHeader.php).
   */
  syncOverWait: number;
  /**
   * The next `count` async operations end `status` without writing an item: `failed` as Oro's
   * AsyncOperationManager::markAsFailed leaves it when splitting the request fails (one error
   * `async operation exception` with `detail`), `cancelled` as Batch/EventListener/JobListener.php
   * maps a cancelled root job (no errors).
   */
  asyncEnd: { status: "failed" | "cancelled"; count: number; detail: string };
}

/** An item of `/asyncoperations/{id}/errors` (status is an integer here, unlike top-level errors). */
export interface AsyncOperationError {
  id: string;
  status: number;
  title: string;
  detail: string;
  source?: { pointer?: string; propertyPath?: string };
}

/** One API request after routing. */
export interface ApiRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  def: ResourceDef;
  /** `X-Include` keys (`totalCount`, `noHateoas`, `deletedCount`), `;`-separated (doc@6.1:api/http-header-specifics.md). */
  xInclude: Set<string>;
  render: RenderOptions;
  baseUrl: string;
}

/** Sends a JSON:API document. */
export function sendDocument(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | number> = {}): void {
  send(res, status, body === null ? null : JSON.stringify(body), headers, JSON_API);
}
