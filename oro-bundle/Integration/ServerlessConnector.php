<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Integration;

use Oro\Bundle\IntegrationBundle\Provider\ConnectorInterface;

/**
 * Base of the generated connectors (Integration/Generated/Connector/, one per connector of
 * functions/registry.ts). Oro lists a channel type's connectors from the services tagged
 * `oro_integration.connector` (IntegrationBundle DependencyInjection/CompilerPass/TypesPass.php)
 * and shows their labels in the channel form and the statuses grid
 * (Datagrid/StatusGridHelper.php). The sync itself runs on AWS: Oro never starts an import job of
 * these connectors, "Schedule sync" goes through ServerlessSyncProcessor instead, so there is no
 * import job name and the import entity is the Oro API resource the connector writes or reads.
 */
abstract class ServerlessConnector implements ConnectorInterface
{
    public const TYPE = '';
    public const LABEL = '';
    public const ENTITY = '';
    public const DIRECTION = '';
    public const INTEGRATION_TYPE = '';

    #[\Override]
    public function getLabel(): string
    {
        return static::LABEL;
    }

    /** The JSON:API resource type the connector syncs (e.g. `products`); not an ORM class: nothing in Oro imports it. */
    #[\Override]
    public function getImportEntityFQCN()
    {
        return static::ENTITY;
    }

    /** No Oro batch job: the connector runs as an AWS Lambda function. */
    #[\Override]
    public function getImportJobName()
    {
        return '';
    }

    #[\Override]
    public function getType()
    {
        return static::TYPE;
    }

    public function getDirection(): string
    {
        return static::DIRECTION;
    }
}
