/**
 * The VAE's decoder settings, declared (pure data, joined to the VAE's entry in catalog.ts): the
 * factorised or autoregressive (MADE) decoder, the MADE's context dropout, and InfoVAE's λ.
 */
import { choiceSetting, rangeSetting, type SettingSpecs } from '../settings/spec';

/** The decoders of the VAE: every pixel independent given z, or autoregressive (MADE). */
export const DECODERS = [
  { id: 'factorised', label: 'Factorised (pixels independent given z)' },
  { id: 'made', label: 'Autoregressive (MADE)' },
] as const;
export type DecoderKind = (typeof DECODERS)[number]['id'];

/**
 * The VAE's own settings: the decoder, its context dropout, and InfoVAE's MMD weight (the
 * objective itself is the schema's Training objective, state/settings/schema.ts).
 */
export const DECODER_SETTINGS = {
  decoder: choiceSetting<DecoderKind>({
    label: 'Decoder',
    urlKey: 'dec',
    default: 'factorised',
    section: 'model',
    options: DECODERS.map((d) => ({ value: d.id, label: d.label })),
    hint: 'Autoregressive: p(x|z) = Π p(x_i | x_<i, z), each pixel given the ones before it (a masked MLP, MADE): strong enough to model digits without z',
  }),
  contextDropout: rangeSetting({
    label: 'Context dropout',
    urlKey: 'cdrop',
    default: 0,
    min: 0,
    max: 0.95,
    section: 'objective',
    hint: "Fraction of the autoregressive decoder's context pixels dropped in training: a weaker decoder has to ask z",
  }),
  mmdWeight: rangeSetting({
    label: 'MMD weight λ',
    urlKey: 'mmd',
    default: 1000,
    min: 0,
    max: 100_000,
    section: 'objective',
    hint: 'loss = reconstruction + λ·MMD(q(z), p(z)), in nats per image',
  }),
} as const satisfies SettingSpecs;
