export { oroAdminRoutes } from "./routes";
export type { SeedOrderRequest, SeedRequest } from "./routes";
