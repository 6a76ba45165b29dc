<?php

namespace Psr\Log;

/** Stand-in for psr/log 3 NullLogger. */
class NullLogger extends AbstractLogger
{
    public function log($level, string|\Stringable $message, array $context = []): void
    {
    }
}
