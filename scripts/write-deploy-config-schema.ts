// Regenerates schemas/deploy-config.schema.json from the zod deploy config (a test checks it is current).
import { writeFileSync } from "node:fs";
import { connectors } from "../functions/registry";
import { DEPLOY_CONFIG_SCHEMA_PATH, deployConfigJsonSchema } from "../infra/config/json-schema";

const path = new URL(`../${DEPLOY_CONFIG_SCHEMA_PATH}`, import.meta.url);
writeFileSync(path, `${JSON.stringify(deployConfigJsonSchema({ connectors }), null, 2)}\n`);
console.log(`wrote ${path.pathname}`);
