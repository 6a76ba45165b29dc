<?php

namespace Oro\Component\ChainProcessor;

/**
 * Stand-in (not in Oro): the storage part of Oro's ChainProcessor Context
 * (oroinc/platform 6.1.11 src/Oro/Component/ChainProcessor/Context.php, ParameterBag),
 * enough for the API contexts the bundle's processors receive.
 */
abstract class StandInContext implements ContextInterface
{
    private array $items = [];
    private string $action = '';
    private mixed $result = null;
    private bool $hasResult = false;

    public function has(string $key): bool { return \array_key_exists($key, $this->items); }
    public function get(string $key): mixed { return $this->items[$key] ?? null; }
    public function set(string $key, mixed $value): void { $this->items[$key] = $value; }
    public function remove(string $key): void { unset($this->items[$key]); }
    public function getAction(): string { return $this->action; }
    public function setAction(string $action): void { $this->action = $action; }
    public function getFirstGroup(): ?string { return null; }
    public function setFirstGroup(?string $group): void {}
    public function getLastGroup(): ?string { return null; }
    public function setLastGroup(?string $group): void {}
    public function hasSkippedGroups(): bool { return false; }
    public function getSkippedGroups(): array { return []; }
    public function resetSkippedGroups(): void {}
    public function skipGroup(string $group): void {}
    public function undoGroupSkipping(string $group): void {}
    public function hasResult(): bool { return $this->hasResult; }
    public function getResult(): mixed { return $this->result; }
    public function setResult(mixed $data): void { $this->result = $data; $this->hasResult = true; }
    public function removeResult(): void { $this->result = null; $this->hasResult = false; }
    public function getChecksum(): string { return ''; }
    public function offsetExists(mixed $offset): bool { return $this->has($offset); }
    public function offsetGet(mixed $offset): mixed { return $this->get($offset); }
    public function offsetSet(mixed $offset, mixed $value): void { $this->set($offset, $value); }
    public function offsetUnset(mixed $offset): void { $this->remove($offset); }
}
