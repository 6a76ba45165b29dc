export { handleTokenRequest } from "./token-endpoint";
export type { OAuthClient } from "./token-endpoint";
export { TokenStore } from "./token-store";
