<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Integration\ScheduleSync;

use OroServerless\Bundle\NotificationAlertApiBundle\Integration\ScheduleSync\StreamSyncRequestSender;
use OroServerless\Bundle\NotificationAlertApiBundle\Integration\ScheduleSync\SyncRequest;
use PHPUnit\Framework\TestCase;

/**
 * The success path (a real POST answered by the ingress) is covered end to end by
 * test/oro-integration.e2e.test.ts, which runs Tests/bin/schedule-sync.php against the local stack.
 */
final class StreamSyncRequestSenderTest extends TestCase
{
    public function testNoListenerRaisesARuntimeExceptionNamingTheHostOnly(): void
    {
        // Port 1 on 127.0.0.1: nothing listens there, the connection is refused at once.
        $request = new SyncRequest('http://127.0.0.1:1/sync', ['Webhook-Signature' => str_repeat('a', 64)], '{}');

        try {
            (new StreamSyncRequestSender(2.0))->send($request);
            self::fail('expected a RuntimeException');
        } catch (\RuntimeException $e) {
            self::assertStringStartsWith('No answer from the serverless ingress 127.0.0.1: ', $e->getMessage());
            self::assertStringNotContainsString(str_repeat('a', 64), $e->getMessage());
        }
    }
}
