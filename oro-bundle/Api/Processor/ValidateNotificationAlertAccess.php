<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Api\Processor;

use Oro\Bundle\ApiBundle\Processor\SingleItemContext;
use Oro\Bundle\NotificationBundle\Entity\NotificationAlert;
use Oro\Component\ChainProcessor\ContextInterface;
use Oro\Component\ChainProcessor\ProcessorInterface;
use Symfony\Component\Security\Core\Authorization\AuthorizationCheckerInterface;
use Symfony\Component\Security\Core\Exception\AccessDeniedException;

/**
 * Refuses to update an alert the current user may not VIEW (e.g. one of another organization).
 *
 * The update action is guarded by a capability (action ACL). Oro then neither protects the
 * loading query by ACL (ApiBundle Processor/Shared/ProtectQueryByAcl.php applies only
 * entity-type ACL resources) nor can the object check of
 * Processor/Shared/ValidateEntityObjectAccess.php evaluate an action ACL against an entity.
 * This adds the object-level VIEW check in the "data_security_check" group, as
 * AttachmentBundle Api/Processor/ValidateFileViewAccess.php does (oroinc/platform 6.1).
 */
class ValidateNotificationAlertAccess implements ProcessorInterface
{
    public function __construct(
        private readonly AuthorizationCheckerInterface $authorizationChecker
    ) {
    }

    #[\Override]
    public function process(ContextInterface $context): void
    {
        /** @var SingleItemContext $context */

        $alert = $context->getResult();
        if ($alert instanceof NotificationAlert && !$this->authorizationChecker->isGranted('VIEW', $alert)) {
            throw new AccessDeniedException('No access by "VIEW" permission to the entity.');
        }
    }
}
