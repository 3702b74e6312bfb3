/** The loss chart's tools: EMA smoothing of the training curves and the log-scale toggle (refused, with the reason, when a value is ≤ 0). */
import type { LikelihoodId } from '../../../core/objective/catalog';
import type { LossTermSpec } from '../../../core/objective/terms';
import { termName } from '../../format';

const SMOOTHING_OPTIONS: readonly { value: number; label: string }[] = [
  { value: 0, label: 'raw' },
  { value: 0.6, label: 'EMA 0.6' },
  { value: 0.8, label: 'EMA 0.8' },
  { value: 0.9, label: 'EMA 0.9' },
  { value: 0.97, label: 'EMA 0.97' },
];

export interface LossToolsProps {
  smoothing: number;
  onSmoothing(weight: number): void;
  log: boolean;
  logAvailable: boolean;
  onLog(): void;
  likelihood: LikelihoodId;
  /** The small term the log scale makes readable (the KL term), when declared. */
  smallTerm: LossTermSpec | null;
}

export function LossTools({ smoothing, onSmoothing, log, logAvailable, onLog, likelihood, smallTerm }: LossToolsProps) {
  const logTitle = logAvailable
    ? `Log scale for the y axis: shows ${smallTerm ? `the small ${termName(smallTerm)} term` : 'the small terms'} and the slow late progress`
    : likelihood === 'gaussian' || likelihood === 'gaussian-learned'
      ? 'Log scale unavailable: with the Gaussian likelihood the reconstruction term is a continuous density, so it and −ELBO can be negative'
      : 'Log scale needs every plotted value to be positive';
  return (
    <>
      <label className="lc-smoothing" title="Smoothing: exponential moving average of the training curves (the raw averages stay faint behind)">
        <select aria-label="Smoothing" value={smoothing} onChange={(e) => onSmoothing(Number(e.target.value))}>
          {SMOOTHING_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      <button type="button" aria-pressed={log} disabled={!logAvailable} title={logTitle} onClick={onLog}>
        Log scale
      </button>
    </>
  );
}
