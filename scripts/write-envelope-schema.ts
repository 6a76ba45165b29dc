// Regenerates schemas/envelope.schema.json from the zod envelope (a test checks it is current).
import { writeFileSync } from "node:fs";
import { envelopeJsonSchema } from "../shared/messages";

const path = new URL("../schemas/envelope.schema.json", import.meta.url);
writeFileSync(path, `${JSON.stringify(envelopeJsonSchema(), null, 2)}\n`);
console.log(`wrote ${path.pathname}`);
