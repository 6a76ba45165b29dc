<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Integration;

use Oro\Bundle\IntegrationBundle\Entity\Transport;
use Oro\Bundle\IntegrationBundle\Provider\TransportInterface;
use OroServerless\Bundle\NotificationAlertApiBundle\Entity\ServerlessTransport;
use OroServerless\Bundle\NotificationAlertApiBundle\Form\Type\ServerlessTransportSettingsType;

/**
 * The transport of the `oro_serverless` channel type (tag `oro_integration.transport` in the
 * generated Resources/config/integration.yml): settings saying where the integration runs
 * (region, signed ingress URL), kept in ServerlessTransport. No secret is stored: the signing
 * secret of "Schedule sync" comes from the environment (ORO_SERVERLESS_SIGNING_SECRET).
 */
class ServerlessTransportType implements TransportInterface
{
    private ?ServerlessTransport $settings = null;

    #[\Override]
    public function init(Transport $transportEntity)
    {
        if (!$transportEntity instanceof ServerlessTransport) {
            throw new \InvalidArgumentException(sprintf('Expected %s, got %s.', ServerlessTransport::class, get_class($transportEntity)));
        }
        $this->settings = $transportEntity;
    }

    public function getSettings(): ?ServerlessTransport
    {
        return $this->settings;
    }

    #[\Override]
    public function getLabel()
    {
        return 'oro_serverless.integration.transport.label';
    }

    #[\Override]
    public function getSettingsFormType()
    {
        return ServerlessTransportSettingsType::class;
    }

    #[\Override]
    public function getSettingsEntityFQCN()
    {
        return ServerlessTransport::class;
    }
}
