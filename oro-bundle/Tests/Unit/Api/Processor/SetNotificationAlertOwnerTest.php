<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Api\Processor;

use Oro\Bundle\ApiBundle\Processor\CustomizeFormData\CustomizeFormDataContext;
use Oro\Bundle\ApiBundle\Request\ApiAction;
use Oro\Bundle\NotificationBundle\Entity\NotificationAlert;
use Oro\Bundle\OrganizationBundle\Entity\Organization;
use Oro\Bundle\UserBundle\Entity\AbstractUser;
use Oro\Bundle\UserBundle\Entity\User;
use OroServerless\Bundle\NotificationAlertApiBundle\Api\Processor\SetNotificationAlertOwner;
use OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Stub\TokenAccessorStub;
use PHPUnit\Framework\TestCase;
use Symfony\Component\Security\Core\Exception\AccessDeniedException;

final class SetNotificationAlertOwnerTest extends TestCase
{
    private function context(mixed $data): CustomizeFormDataContext
    {
        $context = new CustomizeFormDataContext();
        $context->setParentAction(ApiAction::CREATE);
        $context->setEvent(CustomizeFormDataContext::EVENT_PRE_VALIDATE);
        $context->setData($data);

        return $context;
    }

    public function testSetsOrganizationAndUserFromTheToken(): void
    {
        $user = new User(7, 'connectors');
        $organization = new Organization(1, 'ACME');
        $alert = new NotificationAlert();

        (new SetNotificationAlertOwner(new TokenAccessorStub($user, $organization)))->process($this->context($alert));

        self::assertSame($organization, $alert->getOrganization());
        self::assertSame($user, $alert->getUser());
    }

    public function testSetsOnlyTheOrganizationWhenTheTokenUserIsNoBackOfficeUser(): void
    {
        $organization = new Organization(2, 'EU');
        $alert = new NotificationAlert();
        $other = new class(9, 'customer') extends AbstractUser {
        };

        (new SetNotificationAlertOwner(new TokenAccessorStub($other, $organization)))->process($this->context($alert));

        self::assertSame($organization, $alert->getOrganization());
        $this->expectException(\TypeError::class); // user stays null: the entity's getter is non-nullable
        $alert->getUser();
    }

    public function testRefusesATokenWithoutOrganization(): void
    {
        $alert = new NotificationAlert();
        $processor = new SetNotificationAlertOwner(new TokenAccessorStub(new User(7, 'connectors'), null));

        $this->expectException(AccessDeniedException::class);
        $this->expectExceptionMessage('A notification alert can only be created by a user authenticated in an organization.');
        $processor->process($this->context($alert));
    }

    public function testIgnoresOtherData(): void
    {
        $data = new \stdClass();

        (new SetNotificationAlertOwner(new TokenAccessorStub(null, null)))->process($this->context($data));

        self::assertSame([], get_object_vars($data));
    }
}
