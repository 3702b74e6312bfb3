/**
 * Where a test image flows through the model diagram and the worked example: the VAE under the
 * standard normal prior (the example's KL is the closed form against N(0, I)); not under a learned
 * prior, not for the conditional families (their diagrams are drawn without a flow).
 */
import { describe, expect, it } from 'vitest';
import { explainsLive } from '../../src/state/explain/explainer';
import { settingsFromUrl } from '../../src/state/settings';

describe('explainsLive', () => {
  it('holds for the VAE under the standard normal prior only', () => {
    expect(explainsLive(settingsFromUrl('').settings)).toBe(true);
    expect(explainsLive(settingsFromUrl('#prior=mog&components=10').settings)).toBe(false);
    expect(explainsLive(settingsFromUrl('#prior=vamp').settings)).toBe(false);
  });

  it('does not hold for the conditional VAE or M2', () => {
    expect(explainsLive(settingsFromUrl('#model=cvae').settings)).toBe(false);
    expect(explainsLive(settingsFromUrl('#model=m2').settings)).toBe(false);
  });
});
