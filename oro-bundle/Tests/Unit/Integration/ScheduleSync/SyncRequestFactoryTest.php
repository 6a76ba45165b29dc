<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Integration\ScheduleSync;

use OroServerless\Bundle\NotificationAlertApiBundle\Integration\ScheduleSync\SyncRequestFactory;
use PHPUnit\Framework\TestCase;

final class SyncRequestFactoryTest extends TestCase
{
    private const SECRET = 'a-signing-secret-of-32-characters';

    private function factory(): SyncRequestFactory
    {
        return new SyncRequestFactory(self::SECRET, static fn (): int => 1_764_590_400, static fn (): string => '0b6f4c2e-1111-4222-8333-444455556666');
    }

    public function testBodyIsAnOroWebhookShapedDocumentOfTheScheduleSyncTopic(): void
    {
        $request = $this->factory()->create('https://x.lambda-url.eu-west-1.on.aws/', 'akeneo-main', 'akeneo-products', 12, true);

        self::assertSame('https://x.lambda-url.eu-west-1.on.aws/', $request->url);
        self::assertSame(
            '{"topic":"oro-serverless.schedule-sync","eventData":{"integration":"akeneo-main","connector":"akeneo-products","channelId":12,"force":true},"timestamp":1764590400,"messageId":"0b6f4c2e-1111-4222-8333-444455556666"}',
            $request->body
        );
    }

    public function testSignsTheRawBodyWithHmacSha256AsOroSignsWebhooks(): void
    {
        $request = $this->factory()->create('https://x/', 'akeneo-main', 'akeneo-products', 12, false);

        self::assertSame('application/json', $request->headers['Content-Type']);
        self::assertSame('oro-serverless.schedule-sync', $request->headers['Webhook-Topic']);
        self::assertSame('oro-serverless-channel-12', $request->headers['Webhook-Id']);
        self::assertSame('HMAC-SHA256', $request->headers['Webhook-Signature-Algorithm']);
        self::assertSame(hash_hmac('sha256', $request->body, self::SECRET), $request->headers['Webhook-Signature']);
        self::assertMatchesRegularExpression('/^[0-9a-f]{64}$/', $request->headers['Webhook-Signature']);
        // A different secret gives a different signature: the ingress would answer 401.
        self::assertNotSame(hash_hmac('sha256', $request->body, self::SECRET . 'x'), $request->headers['Webhook-Signature']);
        self::assertStringNotContainsString(self::SECRET, $request->body . implode('', $request->headers));
    }

    public function testDefaultIdsAreFreshUuids(): void
    {
        $factory = new SyncRequestFactory(self::SECRET);
        $a = json_decode($factory->create('https://x/', 'i', 'c', 1, false)->body, true);
        $b = json_decode($factory->create('https://x/', 'i', 'c', 1, false)->body, true);

        self::assertMatchesRegularExpression('/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/', $a['messageId']);
        self::assertNotSame($a['messageId'], $b['messageId']);
        self::assertEqualsWithDelta(time(), $a['timestamp'], 5);
    }

    public function testRefusesAMissingOrShortSecret(): void
    {
        $this->expectException(\LogicException::class);
        $this->expectExceptionMessage('ORO_SERVERLESS_SIGNING_SECRET');
        new SyncRequestFactory('short');
    }
}
