<?php

namespace Symfony\Component\Security\Core\Authentication\Token\Storage;

/**
 * Stand-in for symfony/security-core TokenStorageInterface (6.4/7.4), which Oro's
 * TokenAccessorInterface extends; getToken()/setToken() are not used by the processors.
 */
interface TokenStorageInterface
{
    public function getToken(): mixed;

    public function setToken(mixed $token): void;
}
