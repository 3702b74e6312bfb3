/**
 * VAE-GAN beside a plain VAE: the same prior draws decoded by this model and by a plain VAE
 * trained in a second worker with the same data, seed, networks and settings for as many steps,
 * with both sample-quality scores, so the sharpness difference shows at the same budget.
 */
import type { BaselineState, SampleScore } from '../../../state/quality/state';
import { BASELINE_SAMPLES } from '../../../state/quality/state';
import { fmt, formatCount } from '../../format';
import { Panel } from '../../components/Panel';
import { ImageStrip } from '../use/ImageStrip';

export interface VaeBaselineProps {
  state: BaselineState;
  modelScore: SampleScore | null;
  modelNegativeElbo: number | null;
  modelLabel: string;
  shape: { width: number; height: number };
  canRun: boolean;
  onRun(): void;
  onCancel(): void;
}

function Figures({ score, elbo }: { score: SampleScore | null; elbo: number | null }) {
  return (
    <p className="quality-note num">
      Fréchet {score ? fmt(score.frechetDistance, 1) : '–'} · sharpness {score ? fmt(score.sharpnessRatio, 2) : '–'} · test −ELBO {elbo === null ? '–' : fmt(elbo, 1)}
    </p>
  );
}

export function VaeBaseline({ state, modelScore, modelNegativeElbo, modelLabel, shape, canRun, onRun, onCancel }: VaeBaselineProps) {
  const running = state.status === 'running';
  return (
    <Panel
      title="Samples beside a plain VAE"
      className="quality-baseline"
      caption="The same draws z ~ N(0, I) decoded by this model and by a plain VAE trained with the same seed, data, networks and number of steps (in a second worker). Score samples on this model to compare its figures."
    >
      <div className="use-controls">
        <button type="button" disabled={!canRun || running} onClick={onRun}>
          Train a plain VAE beside it
        </button>
        {running ? (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
        {state.message ? <span className="quality-progress">{state.message}</span> : null}
      </div>
      {state.modelImages || state.baselineImages ? (
        <div className="baseline-pair">
          <figure>
            <figcaption>{modelLabel}</figcaption>
            <ImageStrip images={state.modelImages} count={BASELINE_SAMPLES} shape={shape} columns={8} cell={30} label={`${modelLabel} samples`} />
            <Figures score={modelScore} elbo={modelNegativeElbo} />
          </figure>
          <figure>
            <figcaption>plain VAE, {formatCount(state.steps)} steps</figcaption>
            <ImageStrip images={state.baselineImages} count={BASELINE_SAMPLES} shape={shape} columns={8} cell={30} label="Plain VAE samples" />
            <Figures score={state.score} elbo={state.negativeElbo} />
          </figure>
        </div>
      ) : null}
    </Panel>
  );
}
