<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Stub;

use Oro\Bundle\OrganizationBundle\Entity\Organization;
use Oro\Bundle\SecurityBundle\Authentication\TokenAccessorInterface;
use Oro\Bundle\UserBundle\Entity\AbstractUser;

/** The security token of an API request: the user and the organization it was authenticated in. */
final class TokenAccessorStub implements TokenAccessorInterface
{
    public function __construct(private ?AbstractUser $user, private ?Organization $organization)
    {
    }

    public function getToken(): mixed { return null; }
    public function setToken(mixed $token): void {}
    public function hasUser() { return null !== $this->user; }
    public function getUser() { return $this->user; }
    public function getUserId() { return $this->user?->getId(); }
    public function getOrganization() { return $this->organization; }
    public function getOrganizationId() { return $this->organization?->getId(); }
}
