<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Tests\Unit\Stub;

use Oro\Component\ChainProcessor\ContextInterface;
use Oro\Component\ChainProcessor\ProcessorInterface;

/**
 * The processors Oro's API would run for one action/event, built from the `oro.api.processor`
 * tags of services_api.yml files (the bundle's own and Oro's copied ones), in Oro's order:
 * a higher `priority` runs first ("The higher the priority, the earlier the processor is
 * executed", oroinc/platform 6.1.11 src/Oro/Component/ChainProcessor/README.md "Processors
 * Priority"; customize_form_data processors have no group, and both 10 and 20 are "initial
 * ungrouped" priorities >= 0); equal priorities keep their registration order. Only the tag attributes the bundle uses are understood: action, event,
 * parentAction (`a|b`), class, priority. The YAML reading is line-based because Debian's PHP has
 * no YAML extension; test/oro-bundle.test.ts checks the same files with a real YAML parser.
 */
final class ApiProcessorChain
{
    /** @var array<string, array{class: string, arguments: string[], tags: array<int, array<string, string>>}> */
    private array $services = [];

    /** @param array<string, object> $argumentServices service id (without "@") => object */
    public function __construct(private array $argumentServices)
    {
    }

    public function load(string $servicesYaml): self
    {
        $current = null;
        foreach (file($servicesYaml, FILE_IGNORE_NEW_LINES) as $line) {
            if (preg_match('/^    ([A-Za-z0-9_.]+):\s*$/', $line, $m)) {
                $current = $m[1];
                $this->services[$current] = ['class' => '', 'arguments' => [], 'tags' => []];
            } elseif (null !== $current && preg_match('/^        class: (\S+)/', $line, $m)) {
                $this->services[$current]['class'] = $m[1];
            } elseif (null !== $current && preg_match('/^            - \'@([^\']+)\'/', $line, $m)) {
                $this->services[$current]['arguments'][] = $m[1];
            } elseif (null !== $current && preg_match('/^            - \{ (.*) \}\s*$/', $line, $m)) {
                $tag = [];
                foreach (explode(', ', $m[1]) as $pair) {
                    [$key, $value] = array_map('trim', explode(':', $pair, 2));
                    $tag[$key] = trim($value, '\'"');
                }
                $this->services[$current]['tags'][] = $tag;
            }
        }

        return $this;
    }

    /** @return array<int, array{id: string, priority: int, processor: ProcessorInterface}> */
    public function processorsFor(string $action, ?string $event, string $parentAction, string $entityClass): array
    {
        $selected = [];
        $order = 0;
        foreach ($this->services as $id => $service) {
            foreach ($service['tags'] as $tag) {
                if (($tag['name'] ?? '') !== 'oro.api.processor' || ($tag['action'] ?? '') !== $action) {
                    continue;
                }
                if (null !== $event && ($tag['event'] ?? null) !== $event) {
                    continue;
                }
                if (isset($tag['parentAction']) && !\in_array($parentAction, explode('|', $tag['parentAction']), true)) {
                    continue;
                }
                if (isset($tag['class']) && $tag['class'] !== $entityClass) {
                    continue;
                }
                $selected[] = ['id' => $id, 'priority' => (int)($tag['priority'] ?? 0), 'order' => $order++, 'service' => $service];
            }
        }
        usort($selected, static fn (array $a, array $b) => [$b['priority'], $a['order']] <=> [$a['priority'], $b['order']]);

        return array_map(fn (array $s) => ['id' => $s['id'], 'priority' => $s['priority'], 'processor' => $this->instantiate($s['service'])], $selected);
    }

    public function run(array $processors, ContextInterface $context): void
    {
        foreach ($processors as $entry) {
            $entry['processor']->process($context);
        }
    }

    private function instantiate(array $service): ProcessorInterface
    {
        $arguments = array_map(function (string $id) {
            if (!isset($this->argumentServices[$id])) {
                throw new \LogicException(sprintf('The test provides no service "@%s".', $id));
            }

            return $this->argumentServices[$id];
        }, $service['arguments']);

        return new $service['class'](...$arguments);
    }
}
