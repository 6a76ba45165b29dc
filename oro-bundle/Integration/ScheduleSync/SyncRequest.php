<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Integration\ScheduleSync;

/**
 * One signed "Schedule sync" request: the exact bytes to POST and their headers.
 */
final class SyncRequest
{
    /** @param array<string, string> $headers */
    public function __construct(
        public readonly string $url,
        public readonly array $headers,
        public readonly string $body,
    ) {
    }
}
