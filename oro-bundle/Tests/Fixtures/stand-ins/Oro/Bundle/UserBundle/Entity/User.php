<?php

namespace Oro\Bundle\UserBundle\Entity;

/** Stand-in for oroinc/platform 6.1.11 src/Oro/Bundle/UserBundle/Entity/User.php (the back-office user). */
class User extends AbstractUser
{
    public function getBusinessUnits(): array { return []; }
}
