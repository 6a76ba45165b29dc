<?php

namespace OroServerless\Bundle\NotificationAlertApiBundle\Form\Type;

use OroServerless\Bundle\NotificationAlertApiBundle\Entity\ServerlessTransport;
use Symfony\Component\Form\AbstractType;
use Symfony\Component\Form\Extension\Core\Type\TextType;
use Symfony\Component\Form\FormBuilderInterface;
use Symfony\Component\OptionsResolver\OptionsResolver;

/**
 * The transport part of the integration form in System > Integrations (TransportInterface::
 * getSettingsFormType()). Read-only: the deploy config owns these values and `ops oro-integration
 * register` writes them, so an edit in Oro could only drift from what runs on AWS.
 */
class ServerlessTransportSettingsType extends AbstractType
{
    public const BLOCK_PREFIX = 'oro_serverless_transport_settings';

    #[\Override]
    public function buildForm(FormBuilderInterface $builder, array $options): void
    {
        foreach (['integration', 'region', 'ingressUrl'] as $field) {
            $builder->add($field, TextType::class, [
                'label' => 'oro_serverless.integration.transport.' . $field . '.label',
                'required' => false,
                'disabled' => true,
            ]);
        }
    }

    #[\Override]
    public function configureOptions(OptionsResolver $resolver): void
    {
        $resolver->setDefaults(['data_class' => ServerlessTransport::class]);
    }

    #[\Override]
    public function getBlockPrefix(): string
    {
        return self::BLOCK_PREFIX;
    }
}
