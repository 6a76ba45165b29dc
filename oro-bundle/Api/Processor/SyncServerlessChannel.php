<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Api\Processor;

use Oro\Bundle\ApiBundle\Processor\CustomizeFormData\CustomizeFormDataContext;
use Oro\Bundle\IntegrationBundle\Entity\Channel;
use Oro\Bundle\OrganizationBundle\Entity\Organization;
use Oro\Bundle\SecurityBundle\Authentication\TokenAccessorInterface;
use Oro\Component\ChainProcessor\ContextInterface;
use Oro\Component\ChainProcessor\ProcessorInterface;
use OroServerless\Bundle\NotificationAlertApiBundle\Entity\ServerlessTransport;
use OroServerless\Bundle\NotificationAlertApiBundle\Integration\ServerlessChannelType;
use Symfony\Component\Security\Core\Exception\AccessDeniedException;

/**
 * Keeps the Channel of a serverless transport in step with it, so an integration registered by
 * `ops oro-integration register` appears in System > Integrations with its connectors.
 *
 * Why here: Oro's own API keeps `integrationchannels` read-only (IntegrationBundle
 * Resources/config/oro/api.yml: create/update false), so the bundle's transport resource is the
 * one write path. On create it makes the Channel (type `oro_serverless`, name = the integration,
 * connectors, enabled, edit mode ALLOW, organization from the token, as Oro's integration form
 * would); on update it copies the connectors.
 *
 * Runs on `customize_form_data` / `pre_flush_data`: the form is valid and the transaction open.
 * A new Channel is registered with addAdditionalEntity(), as Oro asks for that event (ApiBundle
 * Processor/CustomizeFormData/CustomizeFormDataContext.php: "Do not call EntityManager::persist()
 * ... use addAdditionalEntity()"), and flushed with the transport.
 */
class SyncServerlessChannel implements ProcessorInterface
{
    public function __construct(private readonly TokenAccessorInterface $tokenAccessor)
    {
    }

    #[\Override]
    public function process(ContextInterface $context): void
    {
        /** @var CustomizeFormDataContext $context */

        $transport = $context->getData();
        if (!$transport instanceof ServerlessTransport) {
            return;
        }

        $channel = $transport->getChannel();
        if (null === $channel) {
            $organization = $this->tokenAccessor->getOrganization();
            if (!$organization instanceof Organization) {
                throw new AccessDeniedException('An integration can only be registered by a user authenticated in an organization.');
            }
            $channel = new Channel();
            $channel->setType(ServerlessChannelType::TYPE);
            $channel->setName($transport->getIntegration());
            $channel->setEnabled(true);
            $channel->setEditMode(Channel::EDIT_MODE_ALLOW);
            $channel->setOrganization($organization);
            $channel->setTransport($transport);
            $transport->setChannel($channel);
            $context->addAdditionalEntity($channel);
        }
        $channel->setConnectors($transport->getConnectors());
    }
}
