<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle;

use Symfony\Component\HttpKernel\Bundle\Bundle;

/**
 * Exposes Oro's NotificationAlert entity as the "notificationalerts" back-office API resource.
 *
 * Registered through Resources/config/oro/bundles.yml (Oro's kernel collects those files);
 * the API configuration is in Resources/config/oro/api.yml, the capabilities in
 * Resources/config/oro/acls.yml. Contract: docs/alert-contract.md of oro-serverless-connectors.
 */
class OroServerlessNotificationAlertApiBundle extends Bundle
{
}
