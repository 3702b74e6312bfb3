/**
 * Class colours for the latent scatter: Tableau's 10-colour categorical palette, which stays
 * distinguishable for the common colour-vision deficiencies better than d3's category10.
 */
import { schemeTableau10 } from 'd3';

export const CLASS_PALETTE: readonly string[] = schemeTableau10;

/** The colour of class `label` (wraps around after 10 classes). */
export function classColor(label: number): string {
  const n = CLASS_PALETTE.length;
  return CLASS_PALETTE[((Math.trunc(label) % n) + n) % n];
}
