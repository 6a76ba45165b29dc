<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Api\Processor;

use Oro\Bundle\ApiBundle\Processor\CustomizeFormData\CustomizeFormDataContext;
use Oro\Bundle\NotificationBundle\Entity\NotificationAlert;
use Oro\Bundle\OrganizationBundle\Entity\Organization;
use Oro\Bundle\SecurityBundle\Authentication\TokenAccessorInterface;
use Oro\Bundle\UserBundle\Entity\User;
use Oro\Component\ChainProcessor\ContextInterface;
use Oro\Component\ChainProcessor\ProcessorInterface;
use Symfony\Component\Security\Core\Exception\AccessDeniedException;

/**
 * On create, sets the new alert's organization and user from the security token, BEFORE Oro's
 * OrganizationBundle Api/Processor/SetOwnershipAssociations runs.
 *
 * Why: that Oro processor (customize_form_data, pre_validate, parentAction create, priority 10;
 * OrganizationBundle Resources/config/services_api.yml, oroinc/platform 6.1.11 and 7.0.4) asks
 * EntityOwnershipAssociationsSetter::setOrganization() to read the owner field through the
 * property accessor, i.e. to call NotificationAlert::getOrganization(). That getter is declared
 * `: OrganizationInterface` (non-nullable) while a new alert holds null, so the call throws a
 * \TypeError and the POST answers 500. Oro's own code never hits this because
 * NotificationAlertManager writes alerts with DBAL, not through the API. This processor is
 * tagged with priority 20 (higher runs first), so the organization is set when Oro reads it and
 * Oro leaves it alone. Tested by Tests/Unit/Api/Processor/CreateNotificationAlertChainTest.php.
 *
 * The organization and user fields are excluded from the API (api.yml), so the token is the only
 * source: the same values NotificationAlertManager::addNotificationAlert() takes from it.
 */
class SetNotificationAlertOwner implements ProcessorInterface
{
    public function __construct(
        private readonly TokenAccessorInterface $tokenAccessor
    ) {
    }

    #[\Override]
    public function process(ContextInterface $context): void
    {
        /** @var CustomizeFormDataContext $context */

        $alert = $context->getData();
        if (!$alert instanceof NotificationAlert) {
            return;
        }

        $organization = $this->tokenAccessor->getOrganization();
        if (!$organization instanceof Organization) {
            // The column is NOT NULL: refuse clearly instead of failing in Oro or in the database.
            throw new AccessDeniedException(
                'A notification alert can only be created by a user authenticated in an organization.'
            );
        }
        $alert->setOrganization($organization);

        // user_id is nullable; a back-office API token carries the User the OAuth application is bound to.
        $user = $this->tokenAccessor->getUser();
        if ($user instanceof User) {
            $alert->setUser($user);
        }
    }
}
