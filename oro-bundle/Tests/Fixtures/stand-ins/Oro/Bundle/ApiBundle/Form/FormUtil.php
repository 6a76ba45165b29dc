<?php

namespace Oro\Bundle\ApiBundle\Form;

use Symfony\Component\Form\FormInterface;

/**
 * Stand-in for oroinc/platform 6.1.11 src/Oro/Bundle/ApiBundle/Form/FormUtil.php: only
 * removeAccessGrantedValidationConstraint(), which Oro's SetOwnershipAssociations calls for each
 * field it changed. The stand-in records the calls so a test can see which fields Oro set.
 */
class FormUtil
{
    /** @var string[] */
    public static array $removedAccessGrantedConstraints = [];

    public static function removeAccessGrantedValidationConstraint(FormInterface $form, string $propertyPath): void
    {
        self::$removedAccessGrantedConstraints[] = $propertyPath;
    }
}
