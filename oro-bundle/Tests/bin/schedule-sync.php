<?php

/*
 * Runs the bundle's real ServerlessSyncProcessor once, outside Oro, for the Oro sandbox's
 * "Schedule sync" (sandboxes/oro/integration-sync.ts; test/helpers/bundle-sync-processor.ts): what
 * Oro's Async/SyncIntegrationProcessor would call for a channel of type oro_serverless.
 *
 * stdin: JSON {"channel": {"id", "name", "type", "connectors"}, "transport": {"integration", "region",
 *        "ingressUrl", "connectors"} | null, "connector": string|null, "force": bool}
 * env:   ORO_SERVERLESS_SIGNING_SECRET (as the generated Resources/config/integration.yml wires it)
 * stdout: JSON {"ok": bool, "log": [[level, message, context], ...]}
 */

require __DIR__ . '/../bootstrap.php';

use Oro\Bundle\IntegrationBundle\Entity\Channel;
use OroServerless\Bundle\NotificationAlertApiBundle\Entity\ServerlessTransport;
use OroServerless\Bundle\NotificationAlertApiBundle\Integration\ScheduleSync\ServerlessSyncProcessor;
use OroServerless\Bundle\NotificationAlertApiBundle\Integration\ScheduleSync\StreamSyncRequestSender;
use OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Stub\RecordingLogger;

$input = json_decode((string)stream_get_contents(STDIN), true, 16, JSON_THROW_ON_ERROR);

$channel = new Channel();
$channel->setName($input['channel']['name']);
$channel->setType($input['channel']['type']);
$channel->setConnectors($input['channel']['connectors']);
(new ReflectionProperty(Channel::class, 'id'))->setValue($channel, (int)$input['channel']['id']);
if (is_array($input['transport'] ?? null)) {
    $transport = (new ServerlessTransport())
        ->setIntegration($input['transport']['integration'])
        ->setRegion($input['transport']['region'])
        ->setIngressUrl($input['transport']['ingressUrl'])
        ->setConnectors($input['transport']['connectors']);
    $channel->setTransport($transport);
    $transport->setChannel($channel);
}

$logger = new RecordingLogger();
$processor = new ServerlessSyncProcessor(new StreamSyncRequestSender(), (string)getenv('ORO_SERVERLESS_SIGNING_SECRET'), $logger);
$ok = $processor->process($channel, $input['connector'] ?? null, ['force' => (bool)($input['force'] ?? false)]);

echo json_encode(['ok' => $ok, 'log' => $logger->records], JSON_THROW_ON_ERROR), "\n";
