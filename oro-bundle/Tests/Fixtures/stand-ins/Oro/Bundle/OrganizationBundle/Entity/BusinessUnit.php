<?php

namespace Oro\Bundle\OrganizationBundle\Entity;

/** Stand-in for OrganizationBundle Entity/BusinessUnit.php (6.1.11): referenced by Oro's ownership setter only. */
class BusinessUnit
{
    public function getOrganization(): ?Organization { return null; }
}
