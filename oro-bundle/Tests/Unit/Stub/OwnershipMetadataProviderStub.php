<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Stub;

use Oro\Bundle\NotificationBundle\Entity\NotificationAlert;
use Oro\Bundle\SecurityBundle\Owner\Metadata\OwnershipMetadata;
use Oro\Bundle\SecurityBundle\Owner\Metadata\OwnershipMetadataInterface;
use Oro\Bundle\SecurityBundle\Owner\Metadata\OwnershipMetadataProviderInterface;

/**
 * Ownership metadata as Oro builds it from the entity config: NotificationAlert is
 * ORGANIZATION-owned with owner field "organization" (its #[Config] attribute,
 * NotificationBundle Entity/NotificationAlert.php 6.1.11); every other class has no owner.
 */
final class OwnershipMetadataProviderStub implements OwnershipMetadataProviderInterface
{
    public function supports(): bool { return true; }

    public function getMetadata(?string $className): OwnershipMetadataInterface
    {
        return NotificationAlert::class === $className
            ? new OwnershipMetadata('ORGANIZATION', 'organization', 'organization_id')
            : new OwnershipMetadata();
    }

    public function getUserClass(): string { return 'Oro\Bundle\UserBundle\Entity\User'; }
    public function getBusinessUnitClass(): string { return 'Oro\Bundle\OrganizationBundle\Entity\BusinessUnit'; }
    public function getOrganizationClass(): ?string { return 'Oro\Bundle\OrganizationBundle\Entity\Organization'; }
    public function getMaxAccessLevel(int $accessLevel, ?string $className = null): int { return $accessLevel; }
    public function clearCache(?string $className = null): void {}
    public function warmUpCache(?string $className = null) {}
}
