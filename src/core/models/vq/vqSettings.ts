/** The VQ-VAE's own settings, joined to the one settings schema through its family (catalog.ts). */
import { choiceSetting, rangeSetting, type SettingSpecs } from '../../settings/spec';

/** Values of the VQ-VAE's "Codebook updates" setting. */
export type CodebookUpdate = 'gradient' | 'ema';

/**
 * VQ-VAE's own settings: exactly ../shared/reference/vae_torch.py --arch vq at the defaults (K = 64
 * codes of D = 16, commitment 0.25, codebook by gradient), plus the paper's EMA codebook updates
 * (van den Oord et al. 2017, appendix) and dead-code restarts.
 */
export const VQ_SETTINGS = {
  codes: rangeSetting({
    label: 'Codes K',
    urlKey: 'codes',
    default: 64,
    min: 16,
    max: 512,
    integer: true,
    effect: 'model',
    section: 'model',
    hint: 'Vectors in the codebook, 16 to 512: each position of the code grid is one of them',
  }),
  codeDim: rangeSetting({
    label: 'Code size D',
    urlKey: 'codedim',
    default: 16,
    min: 1,
    max: 64,
    integer: true,
    effect: 'model',
    section: 'model',
    hint: "Dimensions of each code (and of the encoder's output at each position)",
  }),
  commitment: rangeSetting({
    label: 'Commitment β_c',
    urlKey: 'commit',
    default: 0.25,
    min: 0,
    max: 10,
    section: 'objective',
    hint: "Weight of β_c‖z_e − sg[e]‖², which keeps the encoder's outputs near their codes (0.25 in van den Oord et al.)",
  }),
  codebookUpdate: choiceSetting<CodebookUpdate>({
    label: 'Codebook updates',
    urlKey: 'vqupdate',
    default: 'gradient',
    section: 'model',
    options: [
      { value: 'gradient', label: 'by gradient (codebook term)' },
      { value: 'ema', label: 'by EMA of assigned outputs' },
    ],
    hint: 'Gradient: Adam moves the codes by ‖sg[z_e] − e‖². EMA: each code becomes the running mean of the encoder outputs assigned to it',
  }),
  emaDecay: rangeSetting({
    label: 'EMA decay',
    urlKey: 'decay',
    default: 0.99,
    min: 0.5,
    max: 0.9999,
    section: 'objective',
    requires: { key: 'codebookUpdate', oneOf: ['ema'] },
    hint: 'γ of the EMA codebook updates: N ← γN + (1 − γ)n, m ← γm + (1 − γ)Σz_e, e = m / N',
  }),
  restartDeadCodes: choiceSetting<string>({
    label: 'Restart dead codes',
    urlKey: 'restart',
    default: 'off',
    effect: 'live',
    section: 'objective',
    options: [
      { value: 'off', label: 'off' },
      { value: 'on', label: 'on' },
    ],
    hint: 'Every 100 steps, codes no position chose in those steps move onto encoder outputs of the latest batch',
  }),
} as const satisfies SettingSpecs;
