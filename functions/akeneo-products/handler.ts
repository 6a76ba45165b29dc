import { createConnectorHandler } from "../../shared/runtime";
import { akeneoProducts } from "./connector";

/** Lambda entry of the Akeneo products connector. */
export const handler = createConnectorHandler(akeneoProducts);
