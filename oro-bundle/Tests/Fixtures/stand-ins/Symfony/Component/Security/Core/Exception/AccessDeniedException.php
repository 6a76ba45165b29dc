<?php

namespace Symfony\Component\Security\Core\Exception;

/**
 * Stand-in for symfony/security-core AccessDeniedException (6.4/7.4): a \RuntimeException with
 * code 403 that Oro's API turns into 403 "access denied exception".
 */
class AccessDeniedException extends \RuntimeException
{
    public function __construct(string $message = 'Access Denied.', ?\Throwable $previous = null, int $code = 403)
    {
        parent::__construct($message, $code, $previous);
    }
}
