/**
 * Which tools of "Use the model" apply to a family: a small module of its own, so the tab bar
 * knows whether to show the tab without loading the tools (they are loaded when the tab opens).
 */
import type { FAMILIES, PanelId } from '../../../core/models/catalog';

const NEEDS_GAUSSIAN: readonly PanelId[] = ['interpolation', 'logLikelihood'];
/** The tools that send the page's own images (no labels to go with them). */
const NEEDS_UNLABELLED: readonly PanelId[] = ['interpolation', 'drawing', 'reconstructions'];

export const USE_PANELS: readonly PanelId[] = ['interpolation', 'anomalyDetection', 'drawing', 'logLikelihood', 'reconstructions'];

/** Whether a tool applies to a family: declared, with the latent and inputs it needs. */
export function toolApplies(id: PanelId, family: (typeof FAMILIES)[keyof typeof FAMILIES]): boolean {
  const panels: readonly PanelId[] = family.panels;
  if (!panels.includes(id)) return false;
  if (NEEDS_GAUSSIAN.includes(id) && family.latentKind !== 'gaussian') return false;
  return !(NEEDS_UNLABELLED.includes(id) && family.usesLabels);
}
