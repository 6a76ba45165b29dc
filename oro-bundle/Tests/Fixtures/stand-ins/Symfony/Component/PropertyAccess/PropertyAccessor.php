<?php

namespace Symfony\Component\PropertyAccess;

/**
 * Stand-in for symfony/property-access PropertyAccessor (6.4/7.4) for a simple property name:
 * reading calls the public getter get<Name>() (then is<Name>(), has<Name>(), a public property),
 * writing calls set<Name>(), as Symfony's readProperty()/writeProperty() do.
 *
 * What matters for NotificationAlert: Symfony calls the getter directly. A getter declared
 * non-nullable that returns null (getOrganization(): OrganizationInterface on a new alert) throws
 * a \TypeError. Symfony converts such a TypeError into an UninitializedPropertyException only
 * when its message matches "must be of type (\w+), null returned", which a namespaced return type
 * (Oro\...\OrganizationInterface) does not, so the \TypeError reaches the API as a 500 in Symfony
 * too. Either way nothing catches it in Oro's processor chain.
 */
class PropertyAccessor implements PropertyAccessorInterface
{
    public function getValue(object|array $objectOrArray, string|PropertyPathInterface $propertyPath): mixed
    {
        $name = ucfirst((string)$propertyPath);
        foreach (['get', 'is', 'has'] as $prefix) {
            if (method_exists($objectOrArray, $prefix . $name)) {
                return $objectOrArray->{$prefix . $name}();
            }
        }
        if (property_exists($objectOrArray, (string)$propertyPath)) {
            return $objectOrArray->{(string)$propertyPath};
        }
        throw new \RuntimeException(sprintf('Can\'t get a way to read the property "%s".', $propertyPath));
    }

    public function setValue(object|array &$objectOrArray, string|PropertyPathInterface $propertyPath, mixed $value)
    {
        $setter = 'set' . ucfirst((string)$propertyPath);
        if (!method_exists($objectOrArray, $setter)) {
            throw new \RuntimeException(sprintf('Can\'t get a way to write the property "%s".', $propertyPath));
        }
        $objectOrArray->{$setter}($value);
    }
}
