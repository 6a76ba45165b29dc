<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Api\Processor;

use Oro\Bundle\ApiBundle\Processor\CustomizeFormData\CustomizeFormDataContext;
use Oro\Bundle\ApiBundle\Request\ApiAction;
use Oro\Bundle\NotificationBundle\Entity\NotificationAlert;
use OroServerless\Bundle\NotificationAlertApiBundle\Api\Processor\SetNotificationAlertDefaults;
use PHPUnit\Framework\TestCase;

final class SetNotificationAlertDefaultsTest extends TestCase
{
    private function context(string $parentAction, mixed $data): CustomizeFormDataContext
    {
        $context = new CustomizeFormDataContext();
        $context->setParentAction($parentAction);
        $context->setEvent(CustomizeFormDataContext::EVENT_PRE_VALIDATE);
        $context->setData($data);

        return $context;
    }

    public function testCreateSetsCreatedAtAndUpdatedAtToNowInUtc(): void
    {
        $alert = new NotificationAlert();
        $before = new \DateTime('now', new \DateTimeZone('UTC'));

        (new SetNotificationAlertDefaults())->process($this->context(ApiAction::CREATE, $alert));

        $after = new \DateTime('now', new \DateTimeZone('UTC'));
        self::assertInstanceOf(\DateTime::class, $alert->getCreatedAt());
        self::assertSame('UTC', $alert->getCreatedAt()->getTimezone()->getName());
        self::assertGreaterThanOrEqual($before, $alert->getCreatedAt());
        self::assertLessThanOrEqual($after, $alert->getCreatedAt());
        self::assertSame($alert->getCreatedAt(), $alert->getUpdatedAt());
    }

    public function testUpdateKeepsCreatedAtAndMovesUpdatedAt(): void
    {
        $created = new \DateTime('2026-01-02 03:04:05', new \DateTimeZone('UTC'));
        $alert = new NotificationAlert();
        $alert->setCreatedAt($created);
        $alert->setUpdatedAt(clone $created);

        (new SetNotificationAlertDefaults())->process($this->context(ApiAction::UPDATE, $alert));

        self::assertSame($created, $alert->getCreatedAt());
        self::assertSame('2026-01-02 03:04:05', $alert->getCreatedAt()->format('Y-m-d H:i:s'));
        self::assertGreaterThan($created, $alert->getUpdatedAt());
    }

    public function testIgnoresOtherData(): void
    {
        $data = new \stdClass();

        (new SetNotificationAlertDefaults())->process($this->context(ApiAction::CREATE, $data));

        self::assertSame([], get_object_vars($data));
    }
}
