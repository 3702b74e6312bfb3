/**
 * The live values the model diagram draws, for whichever family is in force: a Gaussian latent's
 * come from the worked example (explainer.ts; a VAE-GAN's adversarial terms and prior sample as its extras), a discrete latent's from the Code grid's chosen
 * image and its reconstruction (codes/codeTools.ts) with the latest training report's terms. The
 * panel draws whatever this returns and knows no family.
 */
import { gaussianFlow } from '../../core/explain/workedExample';
import { FAMILIES } from '../../core/models/catalog';
import type { FlowValue } from '../../core/models/diagram';
import { vqFlow } from '../../core/models/diagrams/vqVae';
import type { AppState } from '../appState';
import type { CodeToolsState } from '../codes/codeTools';
import { explainsLive, type ExplainState } from './explainer';

export interface DiagramFlow {
  /** Live values by key. */
  values: Record<string, FlowValue>;
  /** The training step they are from. */
  step: number;
  /** One sentence of what flows, for the caption. */
  caption: string;
}

export function diagramFlowOf(app: Pick<AppState, 'settings' | 'training' | 'previewImages'>, explained: Pick<ExplainState, 'result'>, codes: Pick<CodeToolsState, 'point' | 'reconstruction'>): DiagramFlow | null {
  const family = FAMILIES[app.settings.model];
  if (family.latentKind === 'discrete') {
    const latest = app.training.latest;
    const previews = app.previewImages;
    if (!latest && !codes.reconstruction) return null;
    const pixels = codes.reconstruction?.length ?? 0;
    const input = previews && pixels > 0 && (codes.point + 1) * pixels <= previews.length ? Float32Array.from(previews.subarray(codes.point * pixels, (codes.point + 1) * pixels), (v) => v / 255) : null;
    return {
      values: vqFlow(input, codes.reconstruction, latest),
      step: app.training.step,
      caption: `the Code grid’s test image goes through the encoder to z_e, each position snaps to its nearest code, and the decoder draws x̂ from the grid z_q; the loss terms are per-image means of the latest training steps (${latest ? 'reconstruction + codebook + commitment' : 'after the first steps'}).`,
    };
  }
  const result = explained.result;
  if (!result || !explainsLive(app.settings)) return null;
  return {
    values: gaussianFlow(result.image, result.example, result.extras),
    step: result.step,
    caption: `the chosen image goes through the encoder to μ and log σ², a draw z = μ + σ ⊙ ε goes through the decoder, and the loss adds the reconstruction term and β times the KL against the prior p(z)${result.extras ? '; the other terms are the model’s losses for the same image and ε' : ''}. The bars show the first dimensions (a full bar is ±2.5).`,
  };
}
