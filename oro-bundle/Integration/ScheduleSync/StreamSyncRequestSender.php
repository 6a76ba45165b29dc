<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Integration\ScheduleSync;

/**
 * Sends a "Schedule sync" request with PHP's HTTP stream wrapper (no extra dependency). The body is
 * sent byte for byte as signed; redirects are not followed (a redirect would drop the POST body).
 */
final class StreamSyncRequestSender implements SyncRequestSenderInterface
{
    public function __construct(private readonly float $timeoutSeconds = 10.0)
    {
    }

    #[\Override]
    public function send(SyncRequest $request): array
    {
        $headers = [];
        foreach ($request->headers as $name => $value) {
            $headers[] = $name . ': ' . $value;
        }
        $context = stream_context_create([
            'http' => [
                'method' => 'POST',
                'header' => implode("\r\n", $headers),
                'content' => $request->body,
                'timeout' => $this->timeoutSeconds,
                'ignore_errors' => true,
                'follow_location' => 0,
                'protocol_version' => 1.1,
            ],
        ]);
        $http_response_header = [];
        $body = @file_get_contents($request->url, false, $context);
        if (false === $body || [] === $http_response_header) {
            $error = error_get_last();
            throw new \RuntimeException(sprintf(
                'No answer from the serverless ingress %s: %s',
                parse_url($request->url, PHP_URL_HOST) ?: 'unknown host',
                $error['message'] ?? 'connection failed'
            ));
        }
        $status = 0;
        foreach ($http_response_header as $line) {
            if (preg_match('#^HTTP/\S+\s+(\d{3})#', $line, $m)) {
                $status = (int)$m[1]; // the last status line wins
            }
        }

        return ['status' => $status, 'body' => $body];
    }
}
