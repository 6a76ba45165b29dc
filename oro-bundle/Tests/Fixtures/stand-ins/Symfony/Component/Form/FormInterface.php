<?php

namespace Symfony\Component\Form;

/** Stand-in marker for symfony/form FormInterface (6.4/7.4): the processors only pass it on. */
interface FormInterface
{
}
