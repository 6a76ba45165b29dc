<?php

namespace Oro\Bundle\UserBundle\Entity;

/** Stand-in for oroinc/platform 6.1.11 src/Oro/Bundle/UserBundle/Entity/AbstractUser.php: id and username. */
abstract class AbstractUser
{
    public function __construct(private ?int $id = null, private ?string $username = null)
    {
    }

    public function getId() { return $this->id; }
    public function getUsername() { return $this->username; }
}
