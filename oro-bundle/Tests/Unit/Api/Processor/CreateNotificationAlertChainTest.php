<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Api\Processor;

use Oro\Bundle\ApiBundle\Form\FormUtil;
use Oro\Bundle\ApiBundle\Processor\CustomizeFormData\CustomizeFormDataContext;
use Oro\Bundle\ApiBundle\Request\ApiAction;
use Oro\Bundle\NotificationBundle\Entity\NotificationAlert;
use Oro\Bundle\OrganizationBundle\Entity\Organization;
use Oro\Bundle\OrganizationBundle\Ownership\EntityOwnershipAssociationsSetter;
use Oro\Bundle\UserBundle\Entity\User;
use OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Stub\ApiProcessorChain;
use OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Stub\AuthorizationCheckerStub;
use OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Stub\OwnershipMetadataProviderStub;
use OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Stub\TokenAccessorStub;
use PHPUnit\Framework\TestCase;
use Symfony\Component\Form\FormInterface;
use Symfony\Component\PropertyAccess\PropertyAccessor;

/**
 * POST /admin/api/notificationalerts on a real Oro runs the "customize_form_data" processors of
 * the "pre_validate" event of "create" for the new entity: Oro's own OrganizationBundle
 * SetOwnershipAssociations (priority 10, real code copied from oroinc/platform 6.1.11) and the
 * bundle's processors, in the order their services_api.yml tags give. This runs that chain.
 */
final class CreateNotificationAlertChainTest extends TestCase
{
    private const ORO_SERVICES = __DIR__ . '/../../../Fixtures/platform/src/Oro/Bundle/OrganizationBundle/Resources/config/services_api.yml';
    private const BUNDLE_SERVICES = __DIR__ . '/../../../../Resources/config/services_api.yml';

    private User $user;
    private Organization $organization;

    protected function setUp(): void
    {
        FormUtil::$removedAccessGrantedConstraints = [];
        $this->user = new User(7, 'connectors');
        $this->organization = new Organization(1, 'ACME');
    }

    private function chain(TokenAccessorStub $token): ApiProcessorChain
    {
        return (new ApiProcessorChain([
            'oro_organization.entity_ownership_associations_setter' => new EntityOwnershipAssociationsSetter(
                new PropertyAccessor(),
                $token,
                new OwnershipMetadataProviderStub()
            ),
            'oro_security.token_accessor' => $token,
            'security.authorization_checker' => new AuthorizationCheckerStub(),
        ]))->load(self::ORO_SERVICES)->load(self::BUNDLE_SERVICES);
    }

    private function createContext(NotificationAlert $alert): CustomizeFormDataContext
    {
        $context = new CustomizeFormDataContext();
        $context->setAction('customize_form_data');
        $context->setEvent(CustomizeFormDataContext::EVENT_PRE_VALIDATE);
        $context->setParentAction(ApiAction::CREATE);
        $context->setClassName(NotificationAlert::class);
        $context->setForm($this->createMock(FormInterface::class));
        $context->setData($alert);

        return $context;
    }

    public function testOroOwnershipProcessorAloneFailsOnANewAlert(): void
    {
        // The hazard itself, without the bundle: Oro reads the non-nullable getter of a new alert.
        $token = new TokenAccessorStub($this->user, $this->organization);
        $oroOnly = (new ApiProcessorChain([
            'oro_organization.entity_ownership_associations_setter' => new EntityOwnershipAssociationsSetter(
                new PropertyAccessor(),
                $token,
                new OwnershipMetadataProviderStub()
            ),
        ]))->load(self::ORO_SERVICES);
        $processors = $oroOnly->processorsFor('customize_form_data', 'pre_validate', ApiAction::CREATE, NotificationAlert::class);
        self::assertSame(['oro_organization.api.set_ownership_associations'], array_column($processors, 'id'));

        $this->expectException(\TypeError::class);
        $this->expectExceptionMessage('getOrganization(): Return value must be of type Oro\Bundle\OrganizationBundle\Entity\OrganizationInterface, null returned');
        $oroOnly->run($processors, $this->createContext(new NotificationAlert()));
    }

    public function testTheBundleSetsOrganizationAndUserBeforeOroReadsThem(): void
    {
        $token = new TokenAccessorStub($this->user, $this->organization);
        $chain = $this->chain($token);
        $processors = $chain->processorsFor('customize_form_data', 'pre_validate', ApiAction::CREATE, NotificationAlert::class);
        $alert = new NotificationAlert();

        $chain->run($processors, $this->createContext($alert));

        self::assertSame($this->organization, $alert->getOrganization());
        self::assertSame($this->user, $alert->getUser());
        // Oro found the organization already set, so it changed nothing.
        self::assertSame([], FormUtil::$removedAccessGrantedConstraints);
        self::assertInstanceOf(\DateTime::class, $alert->getCreatedAt());
        self::assertSame($alert->getCreatedAt(), $alert->getUpdatedAt());
    }

    public function testTheBundleProcessorRunsBeforeOros(): void
    {
        $chain = $this->chain(new TokenAccessorStub($this->user, $this->organization));
        $processors = $chain->processorsFor('customize_form_data', 'pre_validate', ApiAction::CREATE, NotificationAlert::class);

        $ids = array_column($processors, 'id');
        $oroPosition = array_search('oro_organization.api.set_ownership_associations', $ids, true);
        $ownerPosition = array_search('oro_serverless_notification_alert_api.api.set_notification_alert_owner', $ids, true);
        self::assertIsInt($oroPosition);
        self::assertIsInt($ownerPosition);
        self::assertLessThan($oroPosition, $ownerPosition);
        self::assertGreaterThan(10, $processors[$ownerPosition]['priority']);
    }
}
