<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Entity;

use Doctrine\DBAL\Types\Types;
use Doctrine\ORM\Mapping as ORM;
use Oro\Bundle\IntegrationBundle\Entity\Transport;
use Symfony\Component\HttpFoundation\ParameterBag;

/**
 * Transport settings of an `oro_serverless` channel: where the integration runs. A row of Oro's
 * single-table `oro_integration_transport` (IntegrationBundle Entity/Transport.php: SINGLE_TABLE
 * inheritance, discriminator column `type` string(30); with no discriminator map Doctrine uses
 * the lower-cased short class name, `serverlesstransport`). Columns are prefixed so they cannot
 * collide with other transports' columns in that table (Migrations/Schema/v1_0).
 *
 * Exposed as `oroserverlesstransports` (Resources/config/oro/api.yml); `ops oro-integration
 * register` writes one per integration of the deploy config, and Api/Processor/SyncServerlessChannel
 * keeps its Channel (name, connectors) in step. No secrets here.
 */
#[ORM\Entity]
class ServerlessTransport extends Transport
{
    /** The deploy config's integration name; also the channel's name (Channel::$name is string(255)). */
    #[ORM\Column(name: 'oro_serverless_integration', type: Types::STRING, length: 255, nullable: true)]
    protected ?string $integration = null;

    /** AWS region the integration runs in, e.g. `eu-west-1`. */
    #[ORM\Column(name: 'oro_serverless_region', type: Types::STRING, length: 32, nullable: true)]
    protected ?string $region = null;

    /** The signed webhook ingress (Lambda Function URL) that "Schedule sync" posts to. */
    #[ORM\Column(name: 'oro_serverless_ingress_url', type: Types::STRING, length: 2048, nullable: true)]
    protected ?string $ingressUrl = null;

    /** Registry connector types the deploy config enables for this integration. */
    #[ORM\Column(name: 'oro_serverless_connectors', type: Types::JSON, nullable: true)]
    protected ?array $connectors = [];

    private ?ParameterBag $settings = null;

    public function getIntegration(): ?string
    {
        return $this->integration;
    }

    public function setIntegration(?string $integration): self
    {
        $this->integration = $integration;

        return $this;
    }

    public function getRegion(): ?string
    {
        return $this->region;
    }

    public function setRegion(?string $region): self
    {
        $this->region = $region;

        return $this;
    }

    public function getIngressUrl(): ?string
    {
        return $this->ingressUrl;
    }

    public function setIngressUrl(?string $ingressUrl): self
    {
        $this->ingressUrl = $ingressUrl;

        return $this;
    }

    /** @return list<string> */
    public function getConnectors(): array
    {
        return array_values($this->connectors ?? []);
    }

    /** @param list<string> $connectors */
    public function setConnectors(array $connectors): self
    {
        $this->connectors = array_values($connectors);

        return $this;
    }

    #[\Override]
    public function getSettingsBag()
    {
        if (null === $this->settings) {
            $this->settings = new ParameterBag([
                'integration' => $this->integration,
                'region' => $this->region,
                'ingress_url' => $this->ingressUrl,
                'connectors' => $this->getConnectors(),
            ]);
        }

        return $this->settings;
    }
}
