<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Integration\ScheduleSync;

use Oro\Bundle\IntegrationBundle\Entity\Channel as Integration;
use Oro\Bundle\IntegrationBundle\Provider\SyncProcessorInterface;
use OroServerless\Bundle\NotificationAlertApiBundle\Entity\ServerlessTransport;
use OroServerless\Bundle\NotificationAlertApiBundle\Integration\Generated\ConnectorTypes;
use Psr\Log\LoggerInterface;
use Psr\Log\NullLogger;

/**
 * The sync processor of the `oro_serverless` channel type (tag `oro_integration.sync_processor`,
 * integration `oro_serverless`, in the generated Resources/config/integration.yml).
 *
 * Oro's "Schedule sync" action (IntegrationController::scheduleAction -> GenuineSyncScheduler ->
 * message `oro.integration.sync_integration` -> Async/SyncIntegrationProcessor) asks
 * SyncProcessorRegistry for the processor of the channel's type and calls
 * process($integration, $connector, $connectorParameters) (oroinc/platform 6.1.11). Instead of
 * running an import job in Oro, this processor asks AWS to start the run: one signed request per
 * connector (all the channel's connectors when $connector is null, as Oro's own SyncProcessor
 * does) to the ingress of the channel's transport. The ingress turns it into the same window
 * message the connector's schedule sends. The run writes its integration status when it finishes
 * (through the `integrationstatuses` API resource), so nothing is written here.
 *
 * Returns true when every request was accepted (202, or 200 "duplicate" for a replayed id), so
 * Oro's job shows success; false otherwise (the job fails, the reason is logged).
 */
class ServerlessSyncProcessor implements SyncProcessorInterface
{
    private ?SyncRequestFactory $requests;
    private LoggerInterface $logger;

    /**
     * The secret is checked when a sync runs, not here: Oro's SyncProcessorRegistry builds every
     * registered processor for any integration's sync, so a missing secret must not break the
     * syncs of other channel types (hence also `%env(default::...)%` in integration.yml).
     */
    public function __construct(
        private readonly SyncRequestSenderInterface $sender,
        private readonly ?string $signingSecret,
        ?LoggerInterface $logger = null,
        ?SyncRequestFactory $requests = null,
    ) {
        $this->requests = $requests;
        $this->logger = $logger ?? new NullLogger();
    }

    #[\Override]
    public function process(Integration $integration, $connector, array $connectorParameters = [])
    {
        if (null === $this->requests) {
            try {
                $this->requests = new SyncRequestFactory((string)$this->signingSecret);
            } catch (\LogicException $e) {
                $this->logger->error($e->getMessage(), ['integration_id' => $integration->getId()]);

                return false;
            }
        }
        $transport = $integration->getTransport();
        if (!$transport instanceof ServerlessTransport || !$transport->getIngressUrl()) {
            $this->logger->error('The integration has no serverless transport with an ingress URL: register it with `ops oro-integration register`.', ['integration_id' => $integration->getId()]);

            return false;
        }
        $enabled = array_values(array_intersect((array)$integration->getConnectors(), ConnectorTypes::all()));
        $connectors = null === $connector || '' === $connector ? $enabled : [(string)$connector];
        if ([] === $connectors) {
            $this->logger->error('The integration has no connector to sync.', ['integration_id' => $integration->getId()]);

            return false;
        }
        $force = (bool)($connectorParameters['force'] ?? false);
        $ok = true;
        foreach ($connectors as $type) {
            if (!in_array($type, $enabled, true)) {
                $this->logger->error(sprintf('Connector "%s" is not enabled for this integration.', $type), ['integration_id' => $integration->getId()]);
                $ok = false;
                continue;
            }
            $ok = $this->requestRun($integration, $transport, $type, $force) && $ok;
        }

        return $ok;
    }

    private function requestRun(Integration $integration, ServerlessTransport $transport, string $connector, bool $force): bool
    {
        $request = $this->requests->create(
            (string)$transport->getIngressUrl(),
            (string)$integration->getName(),
            $connector,
            (int)$integration->getId(),
            $force
        );
        $context = ['integration' => $integration->getName(), 'connector' => $connector];
        try {
            $answer = $this->sender->send($request);
        } catch (\RuntimeException $e) {
            $this->logger->error('Schedule sync: ' . $e->getMessage(), $context);

            return false;
        }
        if (202 === $answer['status'] || (200 === $answer['status'] && str_contains($answer['body'], '"duplicate"'))) {
            $this->logger->info('Schedule sync: run requested on AWS.', $context);

            return true;
        }
        // The ingress answers with a JSON reason and never echoes the signature or the secret.
        $this->logger->error(sprintf('Schedule sync: the ingress answered %d: %s', $answer['status'], substr($answer['body'], 0, 500)), $context);

        return false;
    }
}
