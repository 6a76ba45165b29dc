/**
 * Entity-type permissions of the sandbox's users (a test control: a real Oro reads them from the
 * user's roles). Everything is granted until a test denies it. Two places consult it, as in Oro:
 * - the API: an action needs VIEW (get, get_list), CREATE (create), EDIT (update, update_list) or
 *   DELETE (delete, delete_list) on the resource's entity, else `403 access denied exception`
 *   "No access to this type of entities." (platform@6.1.11 ApiBundle
 *   Processor/Shared/ValidateEntityTypeAccess.php, docs/reference/oro-api.md §6);
 * - the webhook dispatcher: a delivery is skipped when the webhook's owner lacks VIEW on the entity
 *   (platform@6.1.11 IntegrationBundle Async/WebhookNotificationProcessor.php
 *   isTargetEntityViewAllowed, docs/reference/oro-webhooks.md §3).
 * Every OAuth client of the sandbox acts as user `1` (the token's `sub`).
 */
export type Permission = "VIEW" | "CREATE" | "EDIT" | "DELETE";

export const PERMISSIONS: readonly Permission[] = ["VIEW", "CREATE", "EDIT", "DELETE"];

/** One denied permission: `user` (default "1") may not `permission` on JSON:API `type`. */
export interface DeniedPermission {
  type: string;
  permission: Permission;
  user?: string;
}

export class SandboxAcl {
  private readonly denied = new Set<string>();
  /** Denied capabilities (action ACLs such as `oro_serverless_integration_status_create`), as `user|name`. */
  private readonly deniedCapabilities = new Set<string>();

  private static key(user: string, type: string, permission: Permission): string {
    return `${user}|${type}|${permission}`;
  }

  deny(entry: DeniedPermission): void {
    this.denied.add(SandboxAcl.key(entry.user ?? "1", entry.type, entry.permission));
  }

  grant(entry: DeniedPermission): void {
    this.denied.delete(SandboxAcl.key(entry.user ?? "1", entry.type, entry.permission));
  }

  /** A capability (`acls.yml` `type: action`) for `user` (default "1"). */
  denyCapability(name: string, user = "1"): void {
    this.deniedCapabilities.add(`${user}|${name}`);
  }

  grantCapability(name: string, user = "1"): void {
    this.deniedCapabilities.delete(`${user}|${name}`);
  }

  isCapabilityGranted(user: string, name: string): boolean {
    return !this.deniedCapabilities.has(`${user}|${name}`);
  }

  isGranted(user: string, type: string, permission: Permission): boolean {
    return !this.denied.has(SandboxAcl.key(user, type, permission));
  }

  /** What is denied now, for `GET /__admin/acl`. */
  list(): DeniedPermission[] {
    return [...this.denied].map((key) => {
      const [user = "1", type = "", permission = "VIEW"] = key.split("|");
      return { user, type, permission: permission as Permission };
    });
  }

  reset(): void {
    this.denied.clear();
    this.deniedCapabilities.clear();
  }
}
