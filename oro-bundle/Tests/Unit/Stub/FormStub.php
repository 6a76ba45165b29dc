<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Stub;

use Symfony\Component\Form\FormInterface;

/** A named form (field) a processor can attach an error to. */
final class FormStub implements FormInterface
{
    public function __construct(public readonly string $name)
    {
    }
}
