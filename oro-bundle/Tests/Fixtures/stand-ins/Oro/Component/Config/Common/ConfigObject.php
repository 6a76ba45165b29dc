<?php

namespace Oro\Component\Config\Common;

/** Stand-in for oroinc/platform 6.1.11 src/Oro/Component/Config/Common/ConfigObject.php: create() and toArray(). */
class ConfigObject
{
    private function __construct(private array $values)
    {
    }

    public static function create(array $values): self
    {
        return new self($values);
    }

    public function toArray(): array
    {
        return $this->values;
    }
}
