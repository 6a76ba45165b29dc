<?php

namespace Doctrine\Common\Collections;

/** Stand-in for doctrine/collections Collection: the marker Channel::$statuses is typed with. */
interface Collection extends \Countable, \IteratorAggregate
{
    public function add(mixed $element);

    public function toArray();
}
