import { startAkeneoSandbox } from "./start";

/**
 * The `npm run sandbox -- akeneo` entry (sandboxes/cli.ts): flags `--port` (default 8083),
 * `--products <n>` (generated catalog, default 1000), `--latency-ms`, `--max-concurrent`.
 * Credentials are the sandbox defaults, printed at start.
 */
export const akeneoSandboxEntry = {
  describe:
    "Akeneo PIM REST double: OAuth2 token endpoint, products-uuid (offset and search_after paging, search), attributes (flags: --port --products --latency-ms --max-concurrent)",
  valueFlags: ["port", "products", "latency-ms", "max-concurrent"],
  start: async (flags: Record<string, string | undefined>) => {
    const sandbox = await startAkeneoSandbox({
      port: Number(flags.port ?? 8083),
      catalog: { count: Number(flags.products ?? 1_000) },
      ...(flags["latency-ms"] === undefined ? {} : { latencyMs: Number(flags["latency-ms"]) }),
      ...(flags["max-concurrent"] === undefined ? {} : { maxConcurrent: Number(flags["max-concurrent"]) }),
    });
    const c = sandbox.credentials;
    return {
      url: sandbox.url,
      stop: sandbox.stop,
      lines: [
        `API:   ${sandbox.url}/api/rest/v1/products-uuid?pagination_type=search_after&limit=100`,
        `token: POST ${sandbox.url}/api/oauth/v1/token (Basic client id:secret, grant_type=password)`,
        `admin: ${sandbox.url}/__admin/{state,seed,products,attributes,touch,expire-tokens,grants,faults,stats,reset}`,
        `secret JSON: ${JSON.stringify({ baseUrl: sandbox.url, clientId: c.clientId, secret: c.secret, username: c.username, password: c.password })} (sandbox defaults)`,
      ],
    };
  },
};
