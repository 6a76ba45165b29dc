<?php

namespace Doctrine\Common\Collections;

/** Stand-in for doctrine/collections ArrayCollection: add, contains, count, iterate, toArray. */
class ArrayCollection implements Collection
{
    public function __construct(private array $elements = [])
    {
    }

    public function add(mixed $element)
    {
        $this->elements[] = $element;

        return true;
    }

    public function contains(mixed $element): bool
    {
        return in_array($element, $this->elements, true);
    }

    public function toArray()
    {
        return $this->elements;
    }

    public function count(): int
    {
        return count($this->elements);
    }

    public function getIterator(): \ArrayIterator
    {
        return new \ArrayIterator($this->elements);
    }
}
