<?php

/*
 * Autoloader of the bundle's unit tests. Oro itself is not installed here, so classes resolve:
 * - the bundle's namespace -> this bundle (PSR-4, as composer.json declares it);
 * - any other class -> Tests/Fixtures/platform/src/<path> first: files copied unchanged from
 *   oroinc/platform at tag 6.1.11 (MIT; identical at 7.0.4 except where Tests/Fixtures/README.md
 *   says so), then Tests/Fixtures/stand-ins/<path>: minimal stand-ins for the Oro, Symfony and
 *   Doctrine classes around them that reproduce what the tests rely on.
 */

spl_autoload_register(static function (string $class): void {
    $bundlePrefix = 'OroServerless\\Bundle\\NotificationAlertApiBundle\\';
    if (str_starts_with($class, $bundlePrefix)) {
        $file = dirname(__DIR__) . '/' . str_replace('\\', '/', substr($class, strlen($bundlePrefix))) . '.php';
        if (is_file($file)) {
            require $file;
        }

        return;
    }
    $relative = str_replace('\\', '/', $class) . '.php';
    foreach ([__DIR__ . '/Fixtures/platform/src/', __DIR__ . '/Fixtures/stand-ins/'] as $root) {
        if (is_file($root . $relative)) {
            require $root . $relative;

            return;
        }
    }
});
