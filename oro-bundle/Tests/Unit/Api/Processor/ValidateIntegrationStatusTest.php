<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Api\Processor;

use Oro\Bundle\ApiBundle\Form\FormUtil;
use Oro\Bundle\ApiBundle\Processor\CustomizeFormData\CustomizeFormDataContext;
use Oro\Bundle\IntegrationBundle\Entity\Channel;
use Oro\Bundle\IntegrationBundle\Entity\Status;
use OroServerless\Bundle\NotificationAlertApiBundle\Api\Processor\ValidateIntegrationStatus;
use OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Stub\FormStub;
use PHPUnit\Framework\TestCase;

final class ValidateIntegrationStatusTest extends TestCase
{
    protected function setUp(): void
    {
        FormUtil::$namedErrors = [];
    }

    private function status(string $type, array $connectors, string $connector): Status
    {
        $channel = new Channel();
        $channel->setName('akeneo-main');
        $channel->setType($type);
        $channel->setConnectors($connectors);

        return (new Status())->setChannel($channel)->setConnector($connector)->setCode(Status::STATUS_COMPLETED)->setMessage('ok');
    }

    private function validate(object $data): void
    {
        $context = new CustomizeFormDataContext();
        $context->setEvent(CustomizeFormDataContext::EVENT_POST_VALIDATE);
        $context->setForm(new FormStub('form'));
        $context->setFormField('connector', new FormStub('connector'));
        $context->setFormField('channel', new FormStub('channel'));
        $context->setData($data);
        (new ValidateIntegrationStatus())->process($context);
    }

    public function testAcceptsAConnectorOfTheServerlessChannel(): void
    {
        $this->validate($this->status('oro_serverless', ['akeneo-products'], 'akeneo-products'));

        self::assertSame([], FormUtil::$namedErrors);
    }

    public function testRefusesAConnectorTheChannelDoesNotHave(): void
    {
        $this->validate($this->status('oro_serverless', ['akeneo-products'], 'erp-stock'));

        self::assertCount(1, FormUtil::$namedErrors);
        self::assertSame('connector', FormUtil::$namedErrors[0]['form']->name);
        self::assertSame('integration status constraint', FormUtil::$namedErrors[0]['type']);
        self::assertSame('The integration "akeneo-main" has no connector "erp-stock".', FormUtil::$namedErrors[0]['message']);
    }

    public function testRefusesAChannelOfAnotherType(): void
    {
        $this->validate($this->status('magento2', ['akeneo-products'], 'akeneo-products'));

        self::assertCount(1, FormUtil::$namedErrors);
        self::assertSame('channel', FormUtil::$namedErrors[0]['form']->name);
        self::assertSame('The integration "akeneo-main" is not of type "oro_serverless".', FormUtil::$namedErrors[0]['message']);
    }

    public function testLeavesAMissingChannelToTheNotBlankConstraint(): void
    {
        $this->validate((new Status())->setConnector('akeneo-products'));

        self::assertSame([], FormUtil::$namedErrors);
    }

    public function testStatusCodesAreOros(): void
    {
        // The bundle's api.yml limits `code` to these two (Choice constraint).
        self::assertSame('1', Status::STATUS_COMPLETED);
        self::assertSame('2', Status::STATUS_FAILED);
    }
}
