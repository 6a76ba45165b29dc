<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Api\Processor;

use Oro\Bundle\ApiBundle\Processor\CustomizeFormData\CustomizeFormDataContext;
use Oro\Bundle\IntegrationBundle\Entity\Channel;
use Oro\Bundle\OrganizationBundle\Entity\Organization;
use Oro\Bundle\UserBundle\Entity\User;
use OroServerless\Bundle\NotificationAlertApiBundle\Api\Processor\SyncServerlessChannel;
use OroServerless\Bundle\NotificationAlertApiBundle\Entity\ServerlessTransport;
use OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Stub\TokenAccessorStub;
use PHPUnit\Framework\TestCase;
use Symfony\Component\Security\Core\Exception\AccessDeniedException;

final class SyncServerlessChannelTest extends TestCase
{
    private function context(object $data): CustomizeFormDataContext
    {
        $context = new CustomizeFormDataContext();
        $context->setEvent(CustomizeFormDataContext::EVENT_PRE_FLUSH_DATA);
        $context->setData($data);

        return $context;
    }

    private function transport(array $connectors): ServerlessTransport
    {
        return (new ServerlessTransport())
            ->setIntegration('akeneo-main')
            ->setRegion('eu-west-1')
            ->setIngressUrl('https://abc.lambda-url.eu-west-1.on.aws/')
            ->setConnectors($connectors);
    }

    public function testCreateMakesAnEnabledServerlessChannelOfTheTokensOrganization(): void
    {
        $organization = new Organization(7, 'Main');
        $transport = $this->transport(['akeneo-products']);
        $context = $this->context($transport);

        (new SyncServerlessChannel(new TokenAccessorStub(new User(), $organization)))->process($context);

        $channel = $transport->getChannel();
        self::assertInstanceOf(Channel::class, $channel);
        self::assertSame([$channel], $context->getAdditionalEntities());
        self::assertSame('oro_serverless', $channel->getType());
        self::assertSame('akeneo-main', $channel->getName());
        self::assertSame(['akeneo-products'], $channel->getConnectors());
        self::assertTrue($channel->isEnabled());
        self::assertSame(Channel::EDIT_MODE_ALLOW, $channel->getEditMode());
        self::assertSame($organization, $channel->getOrganization());
        self::assertSame($transport, $channel->getTransport());
    }

    public function testUpdateCopiesTheConnectorsToTheExistingChannel(): void
    {
        $transport = $this->transport(['erp-stock']);
        $channel = new Channel();
        $channel->setName('erp-main');
        $channel->setType('oro_serverless');
        $channel->setConnectors(['erp-stock']);
        $channel->setTransport($transport);
        $transport->setChannel($channel);
        $transport->setConnectors(['erp-stock', 'oro-orders-to-erp']);
        $context = $this->context($transport);

        (new SyncServerlessChannel(new TokenAccessorStub(new User(), new Organization(1, 'Main'))))->process($context);

        self::assertSame($channel, $transport->getChannel());
        self::assertSame(['erp-stock', 'oro-orders-to-erp'], $channel->getConnectors());
        self::assertSame('erp-main', $channel->getName());
        self::assertSame([], $context->getAdditionalEntities());
    }

    public function testRefusesATokenWithoutOrganization(): void
    {
        $transport = $this->transport(['akeneo-products']);

        $this->expectException(AccessDeniedException::class);
        (new SyncServerlessChannel(new TokenAccessorStub(new User(), null)))->process($this->context($transport));
    }

    public function testIgnoresOtherEntities(): void
    {
        $data = new \stdClass();
        $context = $this->context($data);

        (new SyncServerlessChannel(new TokenAccessorStub(null, null)))->process($context);

        self::assertSame([], $context->getAdditionalEntities());
        self::assertSame([], get_object_vars($data));
    }
}
