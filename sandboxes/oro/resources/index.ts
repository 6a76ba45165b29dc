import type { ResourceDef } from "../model";
import { catalogResources } from "./catalog";
import { commerceResources } from "./commerce";
import { integrationResources } from "./integration";
import { platformResources } from "./platform";

/** Every resource type the Oro sandbox serves under `/admin/api`. */
export const ORO_RESOURCES: readonly ResourceDef[] = [...catalogResources, ...commerceResources, ...platformResources, ...integrationResources()];

/** Definitions by JSON:API type. */
export const RESOURCE_BY_TYPE: ReadonlyMap<string, ResourceDef> = new Map(ORO_RESOURCES.map((def) => [def.type, def]));
