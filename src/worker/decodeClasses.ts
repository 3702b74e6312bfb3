/** A decode's classes against the model: one per latent, each a class the model has; required by the conditional families. */
import { FAMILIES } from '../core/models/catalog';
import type { ModelConfig } from '../core/models/config';

export function checkDecodeClasses(config: ModelConfig, labels: Int32Array | undefined, count: number): void {
  const family = FAMILIES[config.family];
  if (!labels) {
    if (family.usesLabels) throw new Error(`${family.label} decodes p(x|z, y): send a class with every latent`);
    return;
  }
  if (labels.length !== count) throw new Error(`expected ${count} classes, got ${labels.length}`);
  if (labels.some((c) => c < 0 || c >= config.classCount)) throw new Error(`a class must be ≥ 0 and below ${config.classCount}`);
}
