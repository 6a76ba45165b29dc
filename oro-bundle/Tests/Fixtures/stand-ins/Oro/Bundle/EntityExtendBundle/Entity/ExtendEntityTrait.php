<?php

namespace Oro\Bundle\EntityExtendBundle\Entity;

/**
 * Stand-in for oroinc/platform 6.1.11 src/Oro/Bundle/EntityExtendBundle/Entity/ExtendEntityTrait.php,
 * whose magic accessors reach extend fields through Oro's entity-extend runtime. NotificationAlert has
 * no extend fields, so get()/set() here only reach declared properties.
 */
trait ExtendEntityTrait
{
    public function get(string $name): mixed { return $this->{$name}; }

    public function set(string $name, mixed $value): static
    {
        $this->{$name} = $value;

        return $this;
    }
}
