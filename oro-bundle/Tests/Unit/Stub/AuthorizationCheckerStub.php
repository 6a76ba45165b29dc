<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Stub;

use Symfony\Component\Security\Core\Authorization\AuthorizationCheckerInterface;

/** Grants exactly the listed (attribute, object) pairs and records every question. */
final class AuthorizationCheckerStub implements AuthorizationCheckerInterface
{
    /** @var array<int, array{0: mixed, 1: mixed}> */
    public array $asked = [];

    /** @param array<int, array{0: string, 1: object}> $granted */
    public function __construct(private array $granted = [])
    {
    }

    public function isGranted(mixed $attribute, mixed $subject = null): bool
    {
        $this->asked[] = [$attribute, $subject];
        foreach ($this->granted as [$grantedAttribute, $grantedSubject]) {
            if ($grantedAttribute === $attribute && $grantedSubject === $subject) {
                return true;
            }
        }

        return false;
    }
}
