<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Integration;

use Oro\Bundle\IntegrationBundle\Provider\ChannelInterface;
use Oro\Bundle\IntegrationBundle\Provider\IconAwareIntegrationInterface;

/**
 * The channel type `oro_serverless` (tag `oro_integration.channel` in the generated
 * Resources/config/integration.yml): one integration of the serverless connectors' deploy config,
 * shown in System > Integrations. Same shape as Oro's own channel types (ChannelInterface,
 * IconAwareIntegrationInterface; oroinc/platform 6.1.11 IntegrationBundle Provider/).
 */
class ServerlessChannelType implements ChannelInterface, IconAwareIntegrationInterface
{
    public const TYPE = 'oro_serverless';

    #[\Override]
    public function getLabel()
    {
        return 'oro_serverless.integration.channel_type.label';
    }

    #[\Override]
    public function getIcon()
    {
        return 'bundles/oroserverlessnotificationalertapi/img/aws-lambda.png';
    }
}
