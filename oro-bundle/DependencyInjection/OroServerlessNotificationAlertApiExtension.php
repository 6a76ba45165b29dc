<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\DependencyInjection;

use Symfony\Component\Config\FileLocator;
use Symfony\Component\DependencyInjection\ContainerBuilder;
use Symfony\Component\DependencyInjection\Loader\YamlFileLoader;
use Symfony\Component\HttpKernel\DependencyInjection\Extension;

/**
 * Loads the bundle's API processors (Resources/config/services_api.yml) and its integration
 * services (Resources/config/integration.yml, generated from functions/registry.ts).
 *
 * Same shape as Oro's own bundle extensions, e.g. oroinc/platform 6.1
 * src/Oro/Bundle/IntegrationBundle/DependencyInjection/OroIntegrationExtension.php.
 */
class OroServerlessNotificationAlertApiExtension extends Extension
{
    #[\Override]
    public function load(array $configs, ContainerBuilder $container): void
    {
        $loader = new YamlFileLoader($container, new FileLocator(__DIR__ . '/../Resources/config'));
        $loader->load('services_api.yml');
        $loader->load('integration.yml');
    }
}
