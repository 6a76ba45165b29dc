<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Stub;

use OroServerless\Bundle\NotificationAlertApiBundle\Integration\ScheduleSync\SyncRequest;
use OroServerless\Bundle\NotificationAlertApiBundle\Integration\ScheduleSync\SyncRequestSenderInterface;

/** Records the requests and answers each with the next scripted answer (or throws it). */
final class SyncRequestSenderStub implements SyncRequestSenderInterface
{
    /** @var list<SyncRequest> */
    public array $sent = [];

    /** @param list<array{status: int, body: string}|\RuntimeException> $answers */
    public function __construct(private array $answers)
    {
    }

    public function send(SyncRequest $request): array
    {
        $this->sent[] = $request;
        $answer = array_shift($this->answers) ?? ['status' => 202, 'body' => '{"accepted":true}'];
        if ($answer instanceof \RuntimeException) {
            throw $answer;
        }

        return $answer;
    }
}
