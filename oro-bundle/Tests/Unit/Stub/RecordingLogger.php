<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Stub;

use Psr\Log\AbstractLogger;

/** Keeps every log call: [level, message, context]. */
final class RecordingLogger extends AbstractLogger
{
    /** @var list<array{0: string, 1: string, 2: array}> */
    public array $records = [];

    public function log($level, string|\Stringable $message, array $context = []): void
    {
        $this->records[] = [(string)$level, (string)$message, $context];
    }
}
