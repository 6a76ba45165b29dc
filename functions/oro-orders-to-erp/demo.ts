import type { ConnectorDemo } from "../../local-stack/demo-types";

const EXPORTED = "Oro order exported to the ERP (exactly once)";
const WRITTEN_BACK = "ERP order number written back to Oro";

let orderId: string | undefined;

/** An order created in Oro, whose `order.created` webhook goes through the ingress: the ERP must hold it once, Oro its ERP number. */
export const demo: ConnectorDemo = {
  connector: "oro-orders-to-erp",
  checks: [EXPORTED, WRITTEN_BACK],
  async start({ stack }) {
    const oro = stack.sandboxes.oro;
    if (!oro) throw new Error("the oro-orders-to-erp demo needs the Oro sandbox");
    const [first, second] = oro.store.list("products").map((p) => String(p.attributes.sku));
    const order = await oro.admin.createOrder({
      lines: [
        { sku: first as string, quantity: 2 },
        { sku: second as string, quantity: 1 },
      ],
    });
    orderId = order.data.id;
  },
  async verify({ stack, check }) {
    const erpOrders = ((await stack.sandboxes.erp?.admin.orders()) ?? []).filter((o) => o.order.source.orderId === orderId);
    check(EXPORTED, 1, erpOrders.length);
    const oroOrder = orderId === undefined ? undefined : stack.sandboxes.oro?.store.mustTable("orders").get(orderId);
    check(WRITTEN_BACK, erpOrders[0]?.orderNumber ?? "(none)", oroOrder?.attributes.externalId ?? oroOrder?.attributes.poNumber ?? "(none)");
  },
};
