<?php

namespace Symfony\Component\Security\Core\Authorization;

/** Stand-in with the signature of symfony/security-core AuthorizationCheckerInterface (6.4). */
interface AuthorizationCheckerInterface
{
    public function isGranted(mixed $attribute, mixed $subject = null): bool;
}
