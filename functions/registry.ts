import type { AnyConnector } from "../shared/connector";
import { akeneoProducts } from "./akeneo-products/connector";
import { erpStock } from "./erp-stock/connector";
import { oroOrdersToErp } from "./oro-orders-to-erp/connector";

/**
 * Every connector the product ships, in one list. The CDK app and the local stack read it: a
 * connector enabled for an integration in the deploy config gets its queue, DLQ, function,
 * schedule and alarms from this entry, with no infra code.
 */
export const connectors: readonly AnyConnector[] = [oroOrdersToErp, erpStock, akeneoProducts];
