<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Integration\ScheduleSync;

use Oro\Bundle\IntegrationBundle\Entity\Channel;
use OroServerless\Bundle\NotificationAlertApiBundle\Entity\ServerlessTransport;
use OroServerless\Bundle\NotificationAlertApiBundle\Integration\ScheduleSync\ServerlessSyncProcessor;
use OroServerless\Bundle\NotificationAlertApiBundle\Integration\ScheduleSync\SyncRequestFactory;
use OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Stub\RecordingLogger;
use OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Stub\SyncRequestSenderStub;
use PHPUnit\Framework\TestCase;

final class ServerlessSyncProcessorTest extends TestCase
{
    private const SECRET = 'a-signing-secret-of-32-characters';

    private function channel(array $connectors, ?string $ingressUrl = 'https://x.lambda-url.eu-west-1.on.aws/'): Channel
    {
        $transport = (new ServerlessTransport())->setIntegration('erp-main')->setRegion('eu-west-1')->setConnectors($connectors);
        if (null !== $ingressUrl) {
            $transport->setIngressUrl($ingressUrl);
        }
        $channel = new Channel();
        $channel->setName('erp-main');
        $channel->setType('oro_serverless');
        $channel->setConnectors($connectors);
        $channel->setTransport($transport);
        (new \ReflectionProperty(Channel::class, 'id'))->setValue($channel, 5);

        return $channel;
    }

    private function processor(SyncRequestSenderStub $sender, RecordingLogger $logger): ServerlessSyncProcessor
    {
        return new ServerlessSyncProcessor($sender, self::SECRET, $logger);
    }

    /** @return list<array> */
    private function eventData(SyncRequestSenderStub $sender): array
    {
        return array_map(static fn ($r) => json_decode($r->body, true)['eventData'], $sender->sent);
    }

    public function testWithoutAConnectorRequestsARunOfEveryConnectorOfTheChannel(): void
    {
        $sender = new SyncRequestSenderStub([]);
        $logger = new RecordingLogger();

        $ok = $this->processor($sender, $logger)->process($this->channel(['oro-orders-to-erp', 'erp-stock']), null, ['force' => false]);

        self::assertTrue($ok);
        self::assertSame([
            ['integration' => 'erp-main', 'connector' => 'oro-orders-to-erp', 'channelId' => 5, 'force' => false],
            ['integration' => 'erp-main', 'connector' => 'erp-stock', 'channelId' => 5, 'force' => false],
        ], $this->eventData($sender));
        self::assertSame('https://x.lambda-url.eu-west-1.on.aws/', $sender->sent[0]->url);
        self::assertSame(hash_hmac('sha256', $sender->sent[1]->body, self::SECRET), $sender->sent[1]->headers['Webhook-Signature']);
    }

    public function testWithAConnectorRequestsOnlyThatOneAndPassesForce(): void
    {
        $sender = new SyncRequestSenderStub([]);

        $ok = $this->processor($sender, new RecordingLogger())->process($this->channel(['oro-orders-to-erp', 'erp-stock']), 'erp-stock', ['force' => true]);

        self::assertTrue($ok);
        self::assertSame([['integration' => 'erp-main', 'connector' => 'erp-stock', 'channelId' => 5, 'force' => true]], $this->eventData($sender));
    }

    public function testADuplicateAnswerCountsAsAccepted(): void
    {
        $sender = new SyncRequestSenderStub([['status' => 200, 'body' => '{"duplicate":true,"messageId":"m"}']]);

        self::assertTrue($this->processor($sender, new RecordingLogger())->process($this->channel(['erp-stock']), null));
    }

    public function testARefusalFailsTheJobAndLogsTheIngressReason(): void
    {
        $sender = new SyncRequestSenderStub([
            ['status' => 400, 'body' => '{"error":"connector \"erp-stock\" of integration \"erp-main\" has no schedule"}'],
            ['status' => 202, 'body' => '{"accepted":true}'],
        ]);
        $logger = new RecordingLogger();

        $ok = $this->processor($sender, $logger)->process($this->channel(['erp-stock', 'oro-orders-to-erp']), null);

        self::assertFalse($ok);
        self::assertCount(2, $sender->sent, 'one refusal does not stop the other connectors');
        self::assertSame('error', $logger->records[0][0]);
        self::assertSame('Schedule sync: the ingress answered 400: {"error":"connector \"erp-stock\" of integration \"erp-main\" has no schedule"}', $logger->records[0][1]);
        self::assertSame(['integration' => 'erp-main', 'connector' => 'erp-stock'], $logger->records[0][2]);
    }

    public function testNoAnswerFailsTheJob(): void
    {
        $sender = new SyncRequestSenderStub([new \RuntimeException('No answer from the serverless ingress x: connection refused')]);
        $logger = new RecordingLogger();

        self::assertFalse($this->processor($sender, $logger)->process($this->channel(['erp-stock']), null));
        self::assertSame('Schedule sync: No answer from the serverless ingress x: connection refused', $logger->records[0][1]);
    }

    public function testAConnectorNotEnabledOnTheChannelIsRefusedWithoutARequest(): void
    {
        $sender = new SyncRequestSenderStub([]);
        $logger = new RecordingLogger();

        self::assertFalse($this->processor($sender, $logger)->process($this->channel(['erp-stock']), 'akeneo-products'));
        self::assertSame([], $sender->sent);
        self::assertSame('Connector "akeneo-products" is not enabled for this integration.', $logger->records[0][1]);
    }

    public function testAConnectorTheBundleDoesNotKnowIsNeverRequested(): void
    {
        $sender = new SyncRequestSenderStub([]);

        self::assertFalse($this->processor($sender, new RecordingLogger())->process($this->channel(['retired-connector']), null));
        self::assertSame([], $sender->sent);
    }

    public function testAChannelWithoutIngressUrlFailsWithoutARequest(): void
    {
        $sender = new SyncRequestSenderStub([]);
        $logger = new RecordingLogger();

        self::assertFalse($this->processor($sender, $logger)->process($this->channel(['erp-stock'], null), null));
        self::assertSame([], $sender->sent);
        self::assertStringContainsString('ops oro-integration register', $logger->records[0][1]);
    }

    public function testOroSetsThePageSizeOnTheSettingsBagBeforeCallingUs(): void
    {
        // Async/SyncIntegrationProcessor: $integration->getTransport()->getSettingsBag()->set('page_size', ...).
        $channel = $this->channel(['erp-stock']);
        $channel->getTransport()->getSettingsBag()->set('page_size', 100);

        self::assertSame(100, $channel->getTransport()->getSettingsBag()->get('page_size'));
        self::assertSame('erp-main', $channel->getTransport()->getSettingsBag()->get('integration'));
    }

    public function testAMissingSecretFailsTheSyncWithoutARequestAndDoesNotBreakConstruction(): void
    {
        $sender = new SyncRequestSenderStub([]);
        $logger = new RecordingLogger();
        $processor = new ServerlessSyncProcessor($sender, null, $logger);

        self::assertFalse($processor->process($this->channel(['erp-stock']), null));
        self::assertSame([], $sender->sent);
        self::assertStringContainsString('ORO_SERVERLESS_SIGNING_SECRET', $logger->records[0][1]);
    }

    public function testTopicIsTheIngresssScheduleSyncTopic(): void
    {
        self::assertSame('oro-serverless.schedule-sync', SyncRequestFactory::TOPIC);
    }
}
