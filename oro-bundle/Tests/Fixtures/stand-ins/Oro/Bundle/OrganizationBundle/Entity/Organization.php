<?php

namespace Oro\Bundle\OrganizationBundle\Entity;

/**
 * Stand-in for oroinc/platform 6.1.11 src/Oro/Bundle/OrganizationBundle/Entity/Organization.php
 * (an ORM entity with many relations): id and name only.
 */
class Organization implements OrganizationInterface
{
    public function __construct(private ?int $id = null, private ?string $name = null)
    {
    }

    public function getId() { return $this->id; }
    public function getName() { return $this->name; }
    public function setName($name) { $this->name = $name; return $this; }
    public function isEnabled() { return true; }
    public function setEnabled($enabled) { return $this; }
    public function __toString() { return (string)$this->name; }
}
