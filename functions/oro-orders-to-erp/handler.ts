/** Lambda entry of the oro-orders-to-erp connector (bundled by the CDK stack from this path). */
import { createConnectorHandler } from "../../shared/runtime";
import { oroOrdersToErp } from "./connector";

export const handler = createConnectorHandler(oroOrdersToErp);
