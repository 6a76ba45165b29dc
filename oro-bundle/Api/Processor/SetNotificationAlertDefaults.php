<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Api\Processor;

use Oro\Bundle\ApiBundle\Processor\CustomizeFormData\CustomizeFormDataContext;
use Oro\Bundle\ApiBundle\Request\ApiAction;
use Oro\Bundle\NotificationBundle\Entity\NotificationAlert;
use Oro\Component\ChainProcessor\ContextInterface;
use Oro\Component\ChainProcessor\ProcessorInterface;

/**
 * Fills the timestamps Oro's NotificationAlertManager fills for alerts it stores itself:
 * on create createdAt; on create and update updatedAt. (Organization and user come from
 * SetNotificationAlertOwner, which must run before Oro's SetOwnershipAssociations.)
 *
 * Needed because the entity has neither an id/timestamp generator nor active lifecycle
 * callbacks (its prePersist() method has no #[ORM\HasLifecycleCallbacks]), and it does not
 * implement the interfaces Oro's ModifyCreatedAndUpdatedPropertiesListener looks for,
 * while created_at/updated_at are NOT NULL.
 *
 * Runs as a "customize_form_data" processor on the "pre_validate" event, as
 * SetOwnershipAssociations does (oroinc/platform 6.1
 * src/Oro/Bundle/OrganizationBundle/Resources/config/services_api.yml).
 */
class SetNotificationAlertDefaults implements ProcessorInterface
{
    #[\Override]
    public function process(ContextInterface $context): void
    {
        /** @var CustomizeFormDataContext $context */

        $alert = $context->getData();
        if (!$alert instanceof NotificationAlert) {
            return;
        }

        $now = new \DateTime('now', new \DateTimeZone('UTC'));
        if (ApiAction::CREATE === $context->getParentAction()) {
            $alert->setCreatedAt($now);
        }
        $alert->setUpdatedAt($now);
    }
}
