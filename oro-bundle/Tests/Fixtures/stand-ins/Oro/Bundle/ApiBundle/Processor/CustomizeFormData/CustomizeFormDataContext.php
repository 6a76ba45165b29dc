<?php

namespace Oro\Bundle\ApiBundle\Processor\CustomizeFormData;

use Oro\Component\ChainProcessor\StandInContext;
use Symfony\Component\Form\FormInterface;

/**
 * Stand-in for oroinc/platform 6.1.11
 * src/Oro/Bundle/ApiBundle/Processor/CustomizeFormData/CustomizeFormDataContext.php:
 * only the accessors the processors read (data = the entity the form is bound to, the form,
 * the parent action, the event, the class name), findFormField() over named fields a test sets,
 * and the additional entities of the pre_flush_data event.
 */
class CustomizeFormDataContext extends StandInContext
{
    public const EVENT_PRE_VALIDATE = 'pre_validate';
    public const EVENT_POST_VALIDATE = 'post_validate';
    public const EVENT_PRE_FLUSH_DATA = 'pre_flush_data';

    /** @var array<string, FormInterface> */
    private array $formFields = [];
    /** @var list<object> */
    private array $additionalEntities = [];

    public function setFormField(string $propertyPath, FormInterface $field): void { $this->formFields[$propertyPath] = $field; }
    public function findFormField(string $propertyPath, ?FormInterface $form = null): ?FormInterface { return $this->formFields[$propertyPath] ?? null; }
    public function addAdditionalEntity(object $entity): void { $this->additionalEntities[] = $entity; }
    /** @return list<object> */
    public function getAdditionalEntities(): array { return $this->additionalEntities; }

    private mixed $data = null;
    private ?FormInterface $form = null;
    private ?string $parentAction = null;
    private ?string $event = null;
    private ?string $className = null;

    public function getData(): mixed { return $this->data; }
    public function setData(mixed $data): void { $this->data = $data; }
    public function getForm(): ?FormInterface { return $this->form; }
    public function setForm(?FormInterface $form): void { $this->form = $form; }
    public function getParentAction(): ?string { return $this->parentAction; }
    public function setParentAction(?string $action): void { $this->parentAction = $action; }
    public function getEvent(): ?string { return $this->event; }
    public function setEvent(?string $event): void { $this->event = $event; }
    public function getClassName(): ?string { return $this->className; }
    public function setClassName(?string $className): void { $this->className = $className; }
}
