<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Api\Processor;

use Oro\Bundle\ApiBundle\Processor\SingleItemContext;
use Oro\Bundle\NotificationBundle\Entity\NotificationAlert;
use OroServerless\Bundle\NotificationAlertApiBundle\Api\Processor\ValidateNotificationAlertAccess;
use OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Stub\AuthorizationCheckerStub;
use PHPUnit\Framework\TestCase;
use Symfony\Component\Security\Core\Exception\AccessDeniedException;

final class ValidateNotificationAlertAccessTest extends TestCase
{
    private function context(mixed $result): SingleItemContext
    {
        $context = new SingleItemContext();
        $context->setAction('update');
        $context->setResult($result);

        return $context;
    }

    public function testLetsAnAlertTheUserMayViewPass(): void
    {
        $alert = new NotificationAlert();
        $checker = new AuthorizationCheckerStub([['VIEW', $alert]]);

        (new ValidateNotificationAlertAccess($checker))->process($this->context($alert));

        self::assertSame([['VIEW', $alert]], $checker->asked);
    }

    public function testRefusesAnAlertTheUserMayNotView(): void
    {
        $alert = new NotificationAlert();
        $checker = new AuthorizationCheckerStub([['VIEW', new NotificationAlert()]]);

        try {
            (new ValidateNotificationAlertAccess($checker))->process($this->context($alert));
            self::fail('expected an AccessDeniedException');
        } catch (AccessDeniedException $e) {
            self::assertSame('No access by "VIEW" permission to the entity.', $e->getMessage());
            self::assertSame(403, $e->getCode());
        }
        self::assertSame([['VIEW', $alert]], $checker->asked);
    }

    public function testAsksNothingWithoutALoadedAlert(): void
    {
        $checker = new AuthorizationCheckerStub();

        (new ValidateNotificationAlertAccess($checker))->process($this->context(null));

        self::assertSame([], $checker->asked);
    }
}
