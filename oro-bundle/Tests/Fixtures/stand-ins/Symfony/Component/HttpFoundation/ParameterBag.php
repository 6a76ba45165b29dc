<?php

namespace Symfony\Component\HttpFoundation;

/** Stand-in for symfony/http-foundation ParameterBag: get, set, all. */
class ParameterBag
{
    public function __construct(private array $parameters = [])
    {
    }

    public function all(): array
    {
        return $this->parameters;
    }

    public function get(string $key, mixed $default = null): mixed
    {
        return array_key_exists($key, $this->parameters) ? $this->parameters[$key] : $default;
    }

    public function set(string $key, mixed $value): void
    {
        $this->parameters[$key] = $value;
    }
}
