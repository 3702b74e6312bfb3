/**
 * The colour of a loss term, chosen by the part it plays (theme.css tokens): reconstruction terms
 * in --recon, regularisers (KL) in --kl, adversarial and auxiliary terms in their own tokens, the
 * bound in --elbo. A second term of the same role is a darker shade of the first, a third a lighter.
 */
import type { LossTermSpec, TermRole } from '../../core/objective/terms';

export const ROLE_COLORS: Readonly<Record<TermRole, string>> = {
  reconstruction: 'var(--recon)',
  regulariser: 'var(--kl)',
  adversarial: 'var(--adversarial)',
  auxiliary: 'var(--auxiliary)',
};

export const NEGATIVE_ELBO_COLOR = 'var(--elbo)';

function shade(color: string, nth: number): string {
  if (nth === 0) return color;
  return nth % 2 === 1 ? `color-mix(in srgb, ${color} 62%, var(--ink))` : `color-mix(in srgb, ${color} 55%, white)`;
}

/** Each term's colour, in the order given. */
export function termColors(terms: readonly Pick<LossTermSpec, 'role'>[]): string[] {
  const seen = new Map<TermRole, number>();
  return terms.map((t) => {
    const nth = seen.get(t.role) ?? 0;
    seen.set(t.role, nth + 1);
    return shade(ROLE_COLORS[t.role], nth);
  });
}
