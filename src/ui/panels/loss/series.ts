/**
 * The curves of the loss chart, from the terms the model declares: each term, then the bound
 * (−ELBO, under NEGATIVE_ELBO_ID). A term's colour follows its role, its names and legend formula
 * come from its label and meaning ("formula: explanation"). Also the words the caption uses for
 * the sums ("reconstruction + KL"). Pure.
 */
import { KL_TERM } from '../../../core/models/catalog';
import { NEGATIVE_ELBO_ID, type LossTermSpec } from '../../../core/objective/terms';
import { NEGATIVE_ELBO_COLOR, termColors } from '../../charts/termColors';
import { termName } from '../../format';

export interface LossSeries {
  /** The key of the curve's values in a history point. */
  id: string;
  /** In running text and the tooltip: "reconstruction", "KL", "−ELBO". */
  name: string;
  /** The legend's bold part and the formula beside it ("reconstruction" −E_q[log p(x|z)]). */
  legendName: string;
  legendMath: string;
  /** The term's meaning, for the legend's title. */
  meaning: string;
  color: string;
  /** The declared term (null for the bound). */
  term: LossTermSpec | null;
}

/** "−E_q[log p(x|z)]: the nats the decoder needs…" → formula and explanation (no formula: ''). */
export function splitMeaning(meaning: string): { formula: string; explanation: string } {
  const at = meaning.indexOf(': ');
  return at < 0 ? { formula: '', explanation: meaning } : { formula: meaning.slice(0, at), explanation: meaning.slice(at + 2) };
}

/** How the bound's legend says what it sums: "= sum of both", "= sum of all 3", "= reconstruction". */
function boundMath(inElbo: readonly LossTermSpec[]): string {
  if (inElbo.length === 2) return '= sum of both';
  if (inElbo.length === 1) return `= ${termName(inElbo[0])}`;
  return inElbo.length > 2 ? `= sum of all ${inElbo.length}` : '';
}

export function lossSeries(terms: readonly LossTermSpec[]): LossSeries[] {
  const colors = termColors(terms);
  const series = terms.map((term, i): LossSeries => {
    const name = termName(term);
    const { formula } = splitMeaning(term.meaning);
    // "KL(q(z|x) ‖ p(z))" says more than "KL KL(q(z|x) ‖ p(z))".
    const formulaNames = formula.toLowerCase().startsWith(term.label.toLowerCase());
    return { id: term.id, name, legendName: formulaNames ? formula : name, legendMath: formulaNames ? '' : formula, meaning: term.meaning, color: colors[i], term };
  });
  const inElbo = terms.filter((t) => t.inElbo);
  series.push({
    id: NEGATIVE_ELBO_ID,
    name: '−ELBO',
    legendName: '−ELBO',
    legendMath: boundMath(inElbo),
    meaning: `The negative ELBO: ${inElbo.map(termName).join(' + ') || 'its terms'}, an upper bound on −log p(x)`,
    color: NEGATIVE_ELBO_COLOR,
    term: null,
  });
  return series;
}

/** The term the KL weight β (its schedules, free bits and capacity) applies to, when declared. */
export function weightedTerm(terms: readonly LossTermSpec[]): LossTermSpec | null {
  return terms.find((t) => t.id === KL_TERM.id) ?? null;
}

/** "reconstruction + KL": the names of the terms that make up the −ELBO. */
export function elboSum(terms: readonly LossTermSpec[]): string {
  return terms
    .filter((t) => t.inElbo)
    .map(termName)
    .join(' + ');
}

/**
 * The terms the optimiser adds to the weighted one, by name: "reconstruction" (all minimised terms
 * when none is weighted; never a part of another; a term reported but not minimised, such as a
 * constant, is left out).
 */
export function unweightedSum(terms: readonly LossTermSpec[]): string {
  const weighted = weightedTerm(terms);
  return terms
    .filter((t) => t !== weighted && t.inObjective !== false && t.partOf === undefined)
    .map(termName)
    .join(' + ');
}
