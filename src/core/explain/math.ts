/**
 * Formulas as small trees that map one-to-one onto MathML elements, so the page typesets them
 * with the browser's own MathML (no script, no inline styles) and tests read them as plain text.
 * Pure data and functions: no DOM, no tfjs.
 */

export type MathNode =
  | { t: 'mi' | 'mn' | 'mo' | 'mtext'; text: string }
  | { t: 'mrow'; children: MathNode[] }
  | { t: 'msub'; base: MathNode; sub: MathNode }
  | { t: 'msup'; base: MathNode; sup: MathNode }
  | { t: 'msubsup'; base: MathNode; sub: MathNode; sup: MathNode }
  | { t: 'mfrac'; num: MathNode; den: MathNode }
  | { t: 'munderover'; base: MathNode; under: MathNode; over: MathNode };

type Part = MathNode | string;

/** A string part is an identifier when it is made of letters (with accents), a number when digits, else an operator. */
function part(p: Part): MathNode {
  if (typeof p !== 'string') return p;
  if (/^[\p{L}][\p{L}\u0300-\u036f]*$/u.test(p)) return mi(p);
  return /^[0-9.]+$/.test(p) ? mnText(p) : mo(p);
}

export const mi = (text: string): MathNode => ({ t: 'mi', text });
export const mo = (text: string): MathNode => ({ t: 'mo', text });
export const mtext = (text: string): MathNode => ({ t: 'mtext', text });
/** Names written upright and followed by a thin space, as log x is typeset. */
const FUNCTION_NAMES = new Set(['log', 'exp', 'Enc', 'Dec']);
const THIN_SPACE = '\u2009';

export const row = (...parts: Part[]): MathNode => ({
  t: 'mrow',
  children: parts.flatMap((p) => (typeof p === 'string' && FUNCTION_NAMES.has(p) ? [mi(p), mtext(THIN_SPACE)] : [part(p)])),
});
export const sub = (base: Part, s: Part): MathNode => ({ t: 'msub', base: part(base), sub: part(s) });
export const sup = (base: Part, s: Part): MathNode => ({ t: 'msup', base: part(base), sup: part(s) });
export const subsup = (base: Part, s: Part, p: Part): MathNode => ({ t: 'msubsup', base: part(base), sub: part(s), sup: part(p) });
export const frac = (num: Part, den: Part): MathNode => ({ t: 'mfrac', num: part(num), den: part(den) });
export const half = (): MathNode => frac(mnText('1'), mnText('2'));
export const sumOver = (under: Part, over: Part): MathNode => ({ t: 'munderover', base: mo('∑'), under: part(under), over: part(over) });
export const mnText = (text: string): MathNode => ({ t: 'mn', text });

/** A number with `digits` significant digits; a negative one in parentheses when it follows an operator. */
export function mn(value: number, digits = 3, parenthesiseNegative = false): MathNode {
  const text = formatNumber(value, digits);
  if (value < 0 && parenthesiseNegative) return row('(', mnText(text), ')');
  return mnText(text);
}

/** The page's way of writing a number in a formula: significant digits, a true minus sign. */
export function formatNumber(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '∞' : '−∞';
  const abs = Math.abs(value);
  let text: string;
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) text = value.toExponential(Math.max(0, digits - 1)).replace('e', '×10^');
  else text = Number(value.toPrecision(digits)).toString();
  return text.replace('-', '−');
}

/** The formula as one line of plain text (tooltips, tests, screen-reader fallbacks). */
export function mathText(node: MathNode): string {
  switch (node.t) {
    case 'mi':
    case 'mn':
      return node.text;
    case 'mtext':
      return node.text === THIN_SPACE ? ' ' : node.text;
    case 'mo':
      return /^[=+−×⊙~·,]$|^≈$|^‖$/.test(node.text) ? ` ${node.text} ` : node.text;
    case 'mrow':
      return node.children.map(mathText).join('').replace(/ {2,}/g, ' ');
    case 'msub':
      return `${mathText(node.base)}_${mathText(node.sub)}`;
    case 'msup':
      return `${mathText(node.base)}^${mathText(node.sup)}`;
    case 'msubsup':
      return `${mathText(node.base)}_${mathText(node.sub)}^${mathText(node.sup)}`;
    case 'mfrac':
      return `(${mathText(node.num)})/(${mathText(node.den)})`;
    case 'munderover':
      return `${mathText(node.base)}_{${mathText(node.under)}}^{${mathText(node.over)}} `;
  }
}
