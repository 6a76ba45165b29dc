<?php

namespace Doctrine\Common\Util;

/** Stand-in for doctrine/common ClassUtils::getClass(): without Doctrine proxies the real class is get_class(). */
class ClassUtils
{
    public static function getClass(object $object): string { return \get_class($object); }
}
