<?php

namespace Oro\Bundle\ApiBundle\Processor;

use Oro\Component\ChainProcessor\StandInContext;

/**
 * Stand-in for oroinc/platform 6.1.11 src/Oro/Bundle/ApiBundle/Processor/SingleItemContext.php:
 * the loaded entity is the context's result, as in Oro; the id and class name are plain values.
 */
class SingleItemContext extends StandInContext
{
    private mixed $id = null;
    private ?string $className = null;

    public function getId(): mixed { return $this->id; }
    public function setId(mixed $id): void { $this->id = $id; }
    public function getClassName(): ?string { return $this->className; }
    public function setClassName(?string $className): void { $this->className = $className; }
}
