<?php

namespace Oro\Bundle\ApiBundle\Form;

use Symfony\Component\Form\FormInterface;

/**
 * Stand-in for oroinc/platform 6.1.11 src/Oro/Bundle/ApiBundle/Form/FormUtil.php: only
 * removeAccessGrantedValidationConstraint(), which Oro's SetOwnershipAssociations calls for each
 * field it changed, and addNamedFormError() (same signature as Oro's). The stand-in records the
 * calls so a test can see which fields Oro set and which errors a processor added.
 */
class FormUtil
{
    /** @var string[] */
    public static array $removedAccessGrantedConstraints = [];

    /** @var list<array{form: FormInterface, type: string, message: string}> */
    public static array $namedErrors = [];

    public static function addNamedFormError(
        FormInterface $form,
        string $errorType,
        string $errorMessage,
        ?string $propertyPath = null,
        ?int $statusCode = null
    ): void {
        self::$namedErrors[] = ['form' => $form, 'type' => $errorType, 'message' => $errorMessage];
    }

    public static function removeAccessGrantedValidationConstraint(FormInterface $form, string $propertyPath): void
    {
        self::$removedAccessGrantedConstraints[] = $propertyPath;
    }
}
