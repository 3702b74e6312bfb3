/**
 * Class colours for the latent scatter: Tableau's 10-colour categorical palette (distinguishable
 * for the common colour-vision deficiencies better than d3's category10), with its five light
 * colours darkened so that every class's points stand 3:1 against the white plot (WCAG AA for
 * graphics): orange, teal, yellow (now mustard), pink (now magenta) and grey.
 */
export const CLASS_PALETTE: readonly string[] = ['#4e79a7', '#d0700a', '#e15759', '#3b8f89', '#59a14f', '#a08a1e', '#af7aa1', '#c05a9b', '#9c755f', '#858585'];

/** The colour of class `label` (wraps around after 10 classes). */
export function classColor(label: number): string {
  const n = CLASS_PALETTE.length;
  return CLASS_PALETTE[((Math.trunc(label) % n) + n) % n];
}
