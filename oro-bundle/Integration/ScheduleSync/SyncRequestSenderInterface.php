<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Integration\ScheduleSync;

/**
 * Sends a signed "Schedule sync" request and returns the HTTP status and body of the answer.
 */
interface SyncRequestSenderInterface
{
    /**
     * @return array{status: int, body: string}
     *
     * @throws \RuntimeException when no answer arrived (connection refused, timeout)
     */
    public function send(SyncRequest $request): array;
}
