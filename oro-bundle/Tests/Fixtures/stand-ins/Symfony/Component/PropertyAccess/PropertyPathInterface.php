<?php

namespace Symfony\Component\PropertyAccess;

/** Stand-in marker for symfony/property-access PropertyPathInterface. */
interface PropertyPathInterface
{
}
