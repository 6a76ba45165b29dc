export { API_PREFIX, createOroRouter } from "./router";
export type { OroRouterOptions } from "./router";
export { JSON_API } from "./context";
export type { ApiEnv, AsyncOperationError, BatchControls } from "./context";
export { DEFAULT_ASYNC_FAILURE, noBatchControls } from "./batch";
export { deleteCascading } from "./cascade";
export { writeDocument } from "./write";
export type { WriteEnv, WriteMode, WriteResult } from "./write";
