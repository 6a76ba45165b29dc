<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Integration;

use Oro\Bundle\IntegrationBundle\Entity\Transport;
use Oro\Bundle\IntegrationBundle\Provider\ConnectorInterface;
use OroServerless\Bundle\NotificationAlertApiBundle\Entity\ServerlessTransport;
use OroServerless\Bundle\NotificationAlertApiBundle\Integration\Generated\ConnectorTypes;
use OroServerless\Bundle\NotificationAlertApiBundle\Integration\ServerlessChannelType;
use OroServerless\Bundle\NotificationAlertApiBundle\Integration\ServerlessTransportType;
use PHPUnit\Framework\TestCase;

final class GeneratedConnectorsTest extends TestCase
{
    public function testEveryGeneratedConnectorClassMatchesConnectorTypes(): void
    {
        $files = glob(dirname(__DIR__, 3) . '/Integration/Generated/Connector/*Connector.php');
        self::assertCount(count(ConnectorTypes::LABELS), $files);
        $seen = [];
        foreach ($files as $file) {
            $class = 'OroServerless\\Bundle\\NotificationAlertApiBundle\\Integration\\Generated\\Connector\\' . basename($file, '.php');
            $connector = new $class();
            self::assertInstanceOf(ConnectorInterface::class, $connector);
            self::assertArrayHasKey($connector->getType(), ConnectorTypes::LABELS);
            self::assertSame(ConnectorTypes::LABELS[$connector->getType()], $connector->getLabel());
            self::assertSame('', $connector->getImportJobName());
            self::assertContains($connector->getDirection(), ['import', 'export']);
            $seen[] = $connector->getType();
        }
        sort($seen);
        $all = ConnectorTypes::all();
        sort($all);
        self::assertSame($all, $seen);
    }

    public function testChannelTypeAndTransportNameTheBundlesClasses(): void
    {
        self::assertSame(ConnectorTypes::CHANNEL_TYPE, ServerlessChannelType::TYPE);
        $transport = new ServerlessTransportType();
        self::assertSame(ServerlessTransport::class, $transport->getSettingsEntityFQCN());
        $settings = (new ServerlessTransport())->setIntegration('akeneo-main');
        $transport->init($settings);
        self::assertSame($settings, $transport->getSettings());
    }

    public function testTransportRefusesAnotherTransportsSettings(): void
    {
        $other = new class () extends Transport {
            public function getSettingsBag()
            {
                return null;
            }
        };

        $this->expectException(\InvalidArgumentException::class);
        (new ServerlessTransportType())->init($other);
    }
}
