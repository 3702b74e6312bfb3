/**
 * The networks an encoder and a decoder (and VAE-GAN's discriminator) can be made of, declared:
 * pure data beside the families' catalog (catalog.ts re-exports it).
 */
import { choiceSetting, type SettingSpecs, type SettingValue } from '../settings/spec';
import type { ModelConfig } from './config';

/**
 * A network an encoder and a decoder can be made of, with the settings of its own (they join the
 * page's one settings schema, apply only while it is the network in force, and travel to the
 * builder as ModelConfig.networkOptions). The MLP's width stays ModelConfig.hiddenDim, which
 * saved models and other families (a classifier's width) read.
 */
export interface NetworkDescriptor {
  id: string;
  label: string;
  /** One line: what the encoder and decoder are made of. */
  description: string;
  settings: SettingSpecs;
  /** A few words naming the network as configured ("convolutional, 16 / 32 channels"). */
  summary(config: Pick<ModelConfig, 'hiddenDim' | 'networkOptions'>): string;
}

/** conv-small's channel widths (after the first and the second convolution) as a choice "c1-c2". */
export const CONV_CHANNEL_CHOICES = ['8-16', '16-32', '32-64', '64-128'] as const;
export type ConvChannels = (typeof CONV_CHANNEL_CHOICES)[number];

/** "16-32" → [16, 32]. */
export function parseConvChannels(value: ConvChannels): [number, number] {
  const [first, second] = value.split('-').map(Number);
  return [first, second];
}

export const NETWORKS = [
  {
    id: 'mlp',
    label: 'MLP',
    description: 'dense layers: image → hidden units → μ, log σ²; z → hidden units → image (Kingma & Welling)',
    settings: {},
    summary: (config) => `MLP, ${config.hiddenDim} hidden units`,
  },
  {
    id: 'conv',
    label: 'Convolutional',
    description: 'two 4×4 stride-2 convolutions and a dense layer of 128, mirrored by transposed convolutions in the decoder (conv-small)',
    settings: {
      convChannels: choiceSetting<ConvChannels>({
        label: 'Channels (conv 1 / conv 2)',
        urlKey: 'ch',
        default: '16-32',
        section: 'advanced',
        options: CONV_CHANNEL_CHOICES.map((value) => {
          const [first, second] = parseConvChannels(value);
          return { value, label: `${first} / ${second}${value === '16-32' ? ' (reference)' : ''}` };
        }),
        hint: 'Feature maps after the first and the second convolution (the decoder mirrors them)',
      }),
    },
    summary: (config) => {
      const [first, second] = parseConvChannels((config.networkOptions?.convChannels ?? '16-32') as ConvChannels);
      return `convolutional, ${first} / ${second} channels, dense 128`;
    },
  },
] as const satisfies readonly NetworkDescriptor[];
export type NetworkId = (typeof NETWORKS)[number]['id'];

export function networkOf(id: NetworkId): NetworkDescriptor {
  return NETWORKS.find((n) => n.id === id) as NetworkDescriptor;
}

/** Every network's own settings in one table. */
export function networkSettingSpecs(): SettingSpecs {
  return Object.assign({}, ...NETWORKS.map((n) => n.settings)) as SettingSpecs;
}

/** The values of a network's own settings: the given ones where set, else the defaults. */
export function networkOptionsOf(id: NetworkId, values: Readonly<Record<string, SettingValue | undefined>> = {}): Record<string, SettingValue> {
  return Object.fromEntries(Object.entries(networkOf(id).settings).map(([key, spec]) => [key, values[key] ?? spec.default]));
}
