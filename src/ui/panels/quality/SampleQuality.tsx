/**
 * Sample quality: on demand ("Score samples"), 2,000 test images against 2,000 samples from the
 * prior (a VQ-VAE's: from a prior over its codes) in the features of a small classifier the worker trains on the data set's labels: their
 * Fréchet distance, the classifier's confidence on the samples, and their sharpness.
 */
import type { ScoreState } from '../../../state/quality/state';
import { fmt, formatCount } from '../../format';
import { Panel } from '../../components/Panel';

export interface SampleQualityProps {
  state: ScoreState;
  step: number;
  canRun: boolean;
  classNames: readonly string[];
  onScore(): void;
  onCancel(): void;
}

export function SampleQuality({ state, step, canRun, classNames, onScore, onCancel }: SampleQualityProps) {
  const running = state.status === 'running';
  const r = state.result;
  const p = state.progress;
  const percent = p && p.total > 0 ? Math.round((100 * p.done) / p.total) : 0;
  return (
    <Panel
      title="Sample quality"
      className="quality-score"
      caption={
        <>
          Fréchet distance in our classifier&rsquo;s features — lower is better; not comparable with published FID (those use Inception features of other images). Sharpness is the samples&rsquo; mean gradient
          magnitude over the test images&rsquo; (1: as sharp as the data; blurry samples score below).
        </>
      }
    >
      <div className="use-controls">
        <button type="button" className="primary" disabled={!canRun || running} onClick={onScore}>
          Score samples
        </button>
        {running ? (
          <>
            <button type="button" onClick={onCancel}>
              Cancel
            </button>
            <span className="quality-progress" role="progressbar" aria-label="Scoring progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
              {p ? `${p.stage} ${percent}%` : 'starting…'}
            </span>
          </>
        ) : null}
      </div>
      {state.error ? <p className="use-error">{state.error}</p> : null}
      {r ? (
        <dl className="quality-figures" data-frechet={r.frechetDistance} data-sharpness={r.sharpnessRatio} data-confidence={r.confidence}>
          <div>
            <dt>Fréchet distance</dt>
            <dd className="num">{fmt(r.frechetDistance, 2)}</dd>
          </div>
          <div>
            <dt>Classifier confidence on samples</dt>
            <dd className="num">
              {fmt(r.confidence, 3)} <small>(test images {fmt(r.testConfidence, 3)})</small>
            </dd>
          </div>
          <div>
            <dt>Sharpness (samples / test images)</dt>
            <dd className="num">{fmt(r.sharpnessRatio, 3)}</dd>
          </div>
          <div>
            <dt>Classes among the samples</dt>
            <dd className="num">{r.classShares.map((s, i) => `${classNames[i] ?? i} ${Math.round(100 * s)}%`).join(' · ')}</dd>
          </div>
        </dl>
      ) : null}
      {r ? (
        <p className="quality-note">
          {formatCount(r.count)} test images and {formatCount(r.count)} samples from {r.samplesFrom} at step {formatCount(r.step)}
          {r.step !== step ? ` (the model is at step ${formatCount(step)} now)` : ''}; the classifier ({formatCount(r.classifierSteps)} steps) gets {fmt(100 * r.classifierAccuracy, 2)}% of the test set right; {fmt(r.seconds, 1)} s.
        </p>
      ) : null}
    </Panel>
  );
}
