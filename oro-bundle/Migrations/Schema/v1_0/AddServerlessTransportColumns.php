<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Migrations\Schema\v1_0;

use Doctrine\DBAL\Schema\Schema;
use Oro\Bundle\MigrationBundle\Migration\Migration;
use Oro\Bundle\MigrationBundle\Migration\QueryBag;

/**
 * Adds the columns of Entity/ServerlessTransport to Oro's single transport table
 * (oro_integration_transport, IntegrationBundle Entity/Transport.php: SINGLE_TABLE). Nullable: the
 * table holds every transport type's rows.
 */
class AddServerlessTransportColumns implements Migration
{
    #[\Override]
    public function up(Schema $schema, QueryBag $queries)
    {
        $table = $schema->getTable('oro_integration_transport');
        $table->addColumn('oro_serverless_integration', 'string', ['notnull' => false, 'length' => 255]);
        $table->addColumn('oro_serverless_region', 'string', ['notnull' => false, 'length' => 32]);
        $table->addColumn('oro_serverless_ingress_url', 'string', ['notnull' => false, 'length' => 2048]);
        $table->addColumn('oro_serverless_connectors', 'json', ['notnull' => false, 'comment' => '(DC2Type:json)']);
        $table->addUniqueIndex(['oro_serverless_integration'], 'oro_serverless_transport_integration_uidx');
    }
}
