/** Lambda entry of the erp-stock connector (bundled by the CDK stack from this path). */
import { createConnectorHandler } from "../../shared/runtime";
import { erpStock } from "./connector";

export const handler = createConnectorHandler(erpStock);
