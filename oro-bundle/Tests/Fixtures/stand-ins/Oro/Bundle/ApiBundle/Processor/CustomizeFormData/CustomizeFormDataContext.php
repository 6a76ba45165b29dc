<?php

namespace Oro\Bundle\ApiBundle\Processor\CustomizeFormData;

use Oro\Component\ChainProcessor\StandInContext;
use Symfony\Component\Form\FormInterface;

/**
 * Stand-in for oroinc/platform 6.1.11
 * src/Oro/Bundle/ApiBundle/Processor/CustomizeFormData/CustomizeFormDataContext.php:
 * only the accessors the processors read (data = the entity the form is bound to, the form,
 * the parent action, the event, the class name).
 */
class CustomizeFormDataContext extends StandInContext
{
    public const EVENT_PRE_VALIDATE = 'pre_validate';

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
