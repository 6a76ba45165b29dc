<?php

namespace Symfony\Component\PropertyAccess;

/** Stand-in for symfony/property-access PropertyAccessorInterface (6.4/7.4), the two methods Oro's ownership setter calls. */
interface PropertyAccessorInterface
{
    public function setValue(object|array &$objectOrArray, string|PropertyPathInterface $propertyPath, mixed $value);

    public function getValue(object|array $objectOrArray, string|PropertyPathInterface $propertyPath): mixed;
}
