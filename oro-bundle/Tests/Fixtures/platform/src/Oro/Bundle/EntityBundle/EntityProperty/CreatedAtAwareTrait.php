<?php

namespace Oro\Bundle\EntityBundle\EntityProperty;

use Doctrine\DBAL\Types\Types;
use Doctrine\ORM\Mapping as ORM;
use Oro\Bundle\EntityConfigBundle\Metadata\Attribute\ConfigField;

/**
 * Add create date support to entities
 */
trait CreatedAtAwareTrait
{
    #[ORM\Column(name: 'created_at', type: Types::DATETIME_MUTABLE)]
    #[ConfigField(defaultValues: [
        'entity' => ['label' => 'oro.ui.created_at'],
        'email' => ['available_in_template' => true],
    ])]
    protected ?\DateTimeInterface $createdAt = null;

    /**
     * @return \DateTime
     */
    public function getCreatedAt()
    {
        return $this->createdAt;
    }

    /**
     * @param \DateTime|null $createdAt
     * @return $this
     */
    public function setCreatedAt(?\DateTime $createdAt = null)
    {
        $this->createdAt = $createdAt;

        return $this;
    }
}
