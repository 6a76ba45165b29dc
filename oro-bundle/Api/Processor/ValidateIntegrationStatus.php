<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Api\Processor;

use Oro\Bundle\ApiBundle\Form\FormUtil;
use Oro\Bundle\ApiBundle\Processor\CustomizeFormData\CustomizeFormDataContext;
use Oro\Bundle\IntegrationBundle\Entity\Status;
use Oro\Component\ChainProcessor\ContextInterface;
use Oro\Component\ChainProcessor\ProcessorInterface;
use OroServerless\Bundle\NotificationAlertApiBundle\Integration\ServerlessChannelType;

/**
 * A status written through `integrationstatuses` must belong to a serverless channel and name one
 * of that channel's connectors: the statuses grid shows the connector's label
 * (IntegrationBundle Datagrid/StatusGridHelper.php) and "last status" is looked up per channel and
 * connector (Entity/Repository/ChannelRepository.php getLastStatusForConnector()), so a status of an
 * unknown connector would be listed without a label and never read.
 *
 * Runs on `customize_form_data` / `post_validate` for the create action; adds a form error
 * "integration status constraint" (the API answers 400 with that title) instead of throwing.
 */
class ValidateIntegrationStatus implements ProcessorInterface
{
    public const ERROR_TYPE = 'integration status constraint';

    #[\Override]
    public function process(ContextInterface $context): void
    {
        /** @var CustomizeFormDataContext $context */

        $status = $context->getData();
        if (!$status instanceof Status) {
            return;
        }
        $channel = $status->getChannel();
        if (null === $channel) {
            return; // the NotBlank on `channel` reports it
        }
        if (ServerlessChannelType::TYPE !== $channel->getType()) {
            FormUtil::addNamedFormError(
                $context->findFormField('channel') ?? $context->getForm(),
                self::ERROR_TYPE,
                sprintf('The integration "%s" is not of type "%s".', $channel->getName(), ServerlessChannelType::TYPE)
            );

            return;
        }
        if (!in_array($status->getConnector(), (array)$channel->getConnectors(), true)) {
            FormUtil::addNamedFormError(
                $context->findFormField('connector') ?? $context->getForm(),
                self::ERROR_TYPE,
                sprintf('The integration "%s" has no connector "%s".', $channel->getName(), $status->getConnector())
            );
        }
    }
}
