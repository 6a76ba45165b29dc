<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Integration\ScheduleSync;

/**
 * Builds the signed request that starts a run of one connector on AWS through the serverless
 * connectors' webhook ingress (functions/webhook-ingress, topic `oro-serverless.schedule-sync`).
 *
 * The request has the shape and signature of an Oro webhook delivery (oroinc/platform 6.1.11
 * IntegrationBundle Model/WebhookNotificationSender.php: body `{topic, eventData, timestamp,
 * messageId}`, headers `Webhook-Topic`, `Webhook-Id`, `Webhook-Signature` = hex HMAC-SHA256 of the
 * raw body, `Webhook-Signature-Algorithm: HMAC-SHA256`), so the ingress verifies it exactly like
 * Oro's own webhooks: signature, replay window on `timestamp`, one enqueue per `messageId`.
 */
final class SyncRequestFactory
{
    public const TOPIC = 'oro-serverless.schedule-sync';
    public const SIGNATURE_ALGORITHM = 'HMAC-SHA256';

    /** @var \Closure(): int */
    private \Closure $clock;
    /** @var \Closure(): string */
    private \Closure $ids;

    /**
     * @param (\Closure(): int)|null    $clock seconds since the epoch; default time()
     * @param (\Closure(): string)|null $ids   a new message id; default a random UUID v4
     */
    public function __construct(
        private readonly string $secret,
        ?\Closure $clock = null,
        ?\Closure $ids = null,
    ) {
        // The ingress refuses secrets shorter than 16 characters (functions/webhook-ingress/signature.ts).
        if (strlen($secret) < 16) {
            throw new \LogicException(
                'The "Schedule sync" signing secret (ORO_SERVERLESS_SIGNING_SECRET) is missing or shorter than 16 characters: '
                . 'set it to the webhook signing secret of the serverless connectors.'
            );
        }
        $this->clock = $clock ?? static fn (): int => time();
        $this->ids = $ids ?? static fn (): string => self::uuid4();
    }

    public function create(string $ingressUrl, string $integration, string $connector, int $channelId, bool $force): SyncRequest
    {
        $body = json_encode(
            [
                'topic' => self::TOPIC,
                'eventData' => [
                    'integration' => $integration,
                    'connector' => $connector,
                    'channelId' => $channelId,
                    'force' => $force,
                ],
                'timestamp' => ($this->clock)(),
                'messageId' => ($this->ids)(),
            ],
            JSON_THROW_ON_ERROR
        );

        return new SyncRequest(
            $ingressUrl,
            [
                'Content-Type' => 'application/json',
                'Webhook-Topic' => self::TOPIC,
                'Webhook-Id' => 'oro-serverless-channel-' . $channelId,
                'Webhook-Signature' => hash_hmac('sha256', $body, $this->secret),
                'Webhook-Signature-Algorithm' => self::SIGNATURE_ALGORITHM,
            ],
            $body
        );
    }

    private static function uuid4(): string
    {
        $bytes = random_bytes(16);
        $bytes[6] = chr((ord($bytes[6]) & 0x0f) | 0x40);
        $bytes[8] = chr((ord($bytes[8]) & 0x3f) | 0x80);

        return vsprintf('%s%s-%s-%s-%s-%s%s%s', str_split(bin2hex($bytes), 4));
    }
}
