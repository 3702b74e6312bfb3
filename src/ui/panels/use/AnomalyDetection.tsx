/**
 * Anomaly detection by −ELBO: the per-example −ELBO (or one of its terms) of the test set as a
 * histogram with out-of-distribution sets overlaid (another data set, noise, inverted images, a
 * held-out class), a threshold that shows the false-positive rate and each set's detection rate,
 * the ROC curves and AUCs by −ELBO and by each term alone, and the most and least typical test
 * images.
 */
import { useMemo } from 'react';
import type { LossTermSpec } from '../../../core/objective/terms';
import type { OutlierSetId } from '../../../data/outliers';
import { NEGATIVE_ELBO, type AnomalyState } from '../../../state/analysis/state';
import { fmt } from '../../format';
import { useElementWidth } from '../../hooks/useElementWidth';
import { Panel } from '../../components/Panel';
import { aucTable, defaultThreshold, histogramFrame, ratesAt, rocCurves } from './anomalyMath';
import { ImageStrip } from './ImageStrip';
import { RocChart } from './RocChart';
import { ScoreHistogram } from './ScoreHistogram';
import { setColor } from './setColors';

export interface AnomalyDetectionProps {
  state: AnomalyState;
  terms: readonly LossTermSpec[];
  /** The drawn digit's −ELBO and terms, placed on the histogram. */
  drawing: { negativeElbo: number; terms: Record<string, number> } | null;
  step: number;
  canRun: boolean;
  imageShape: { width: number; height: number };
  onRun(): void;
  onCancel(): void;
  onScoreKey(key: string): void;
  onThreshold(value: number): void;
}

const NUMBER = new Intl.NumberFormat('en-US');
const SKIPPED_NAMES: Record<OutlierSetId, string> = { 'other-data': 'Another data set', noise: 'Pure noise', inverted: 'Inverted images', 'held-out': 'Held-out class' };
const ROC_SIZE = 236;
const TYPICAL_CELL = 44;

function percent(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return v > 0 && v < 0.001 ? '<0.1%' : `${(v * 100).toFixed(v >= 0.995 || v <= 0.005 ? 0 : 1)}%`;
}

export function AnomalyDetection({ state, terms, drawing, step, canRun, imageShape, onRun, onCancel, onScoreKey, onThreshold }: AnomalyDetectionProps) {
  const [measureRef, width] = useElementWidth();
  const [histRef, histWidth] = useElementWidth();
  const r = state.result;
  const keys = useMemo(() => [NEGATIVE_ELBO, ...terms.filter((t) => t.inElbo).map((t) => t.id)], [terms]);
  const labelOf = (key: string) => (key === NEGATIVE_ELBO ? '−ELBO' : (terms.find((t) => t.id === key)?.label ?? key));
  const key = keys.includes(state.score) ? state.score : NEGATIVE_ELBO;
  const sets = r?.sets ?? null;
  const frame = useMemo(() => (sets ? histogramFrame(sets, key) : null), [sets, key]);
  const curves = useMemo(() => (sets ? rocCurves(sets, key) : []), [sets, key]);
  const aucs = useMemo(() => (sets ? aucTable(sets, keys) : []), [sets, keys]);
  const threshold = sets ? (state.threshold ?? defaultThreshold(sets[0], key)) : 0;
  const rates = useMemo(() => (sets ? ratesAt(sets, key, threshold) : []), [sets, key, threshold]);
  const lowAuc = sets ? sets.slice(1).filter((_, i) => aucs[i]?.[keys.indexOf(key)] < 0.5).map((s) => s.label) : [];
  const marker = drawing ? (key === NEGATIVE_ELBO ? drawing.negativeElbo : (drawing.terms[key] ?? null)) : null;
  const running = state.status === 'running';
  const fraction = state.progress && state.progress.total > 0 ? state.progress.done / state.progress.total : 0;
  const stacked = width < 760;

  // the slider moves the threshold over the histogram's x range (evenly on its scale)
  const sliderRange = frame ? [frame.edges[0], frame.edges[frame.edges.length - 1]] : [0, 1];
  const toSlider = (v: number) => (frame?.log ? Math.log(v / sliderRange[0]) / Math.log(sliderRange[1] / sliderRange[0]) : (v - sliderRange[0]) / (sliderRange[1] - sliderRange[0]));
  const fromSlider = (u: number) => (frame?.log ? sliderRange[0] * Math.pow(sliderRange[1] / sliderRange[0], u) : sliderRange[0] + u * (sliderRange[1] - sliderRange[0]));

  const tools = (
    <div className="use-segmented" role="group" aria-label="Score">
      {keys.map((k) => (
        <button key={k} type="button" aria-pressed={k === key} onClick={() => onScoreKey(k)}>
          {labelOf(k)}
        </button>
      ))}
    </div>
  );

  const caption = (
    <>
      The ELBO is a lower bound on log p(x), so −ELBO (nats) is large for what the model cannot explain: a natural anomaly score. Each histogram is one set&rsquo;s scores as fractions of its
      images; flag everything at or above the threshold and the test set&rsquo;s share flagged is the false-positive rate. The ROC curve plots detection against false positives over all
      thresholds; its area (AUC) is the chance that an anomaly scores above a test image: 1 separates them, 0.5 is guessing. Either term can score alone: the reconstruction term alone
      misses what is simply drawn (noise is badly reconstructed), the KL term alone asks only whether the code is unusual.
    </>
  );

  return (
    <Panel title="Anomaly detection" className="use-anomaly" caption={caption} tools={tools}>
      <div className="use-controls">
        {running ? (
          <>
            <div className="use-progress" role="progressbar" aria-label="Scoring progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fraction * 100)}>
              <span style={{ width: `${fraction * 100}%` }} />
            </div>
            <button type="button" onClick={onCancel}>
              Cancel
            </button>
            <span className="use-note">{state.progress?.stage ?? 'starting'}…</span>
          </>
        ) : (
          <>
            <button type="button" className="use-primary" onClick={onRun} disabled={!canRun}>
              {r ? 'Score again' : 'Score the test set'}
            </button>
            <span className="use-note">
              {r
                ? `${NUMBER.format(r.sets[0].count)} test images and ${NUMBER.format(r.sets.length > 1 ? r.sets[1].count : 0)} per set, scored at step ${NUMBER.format(r.step)}${step > r.step ? ' (trained on since)' : ''}`
                : state.status === 'cancelled'
                  ? 'Cancelled.'
                  : 'The test set and four sets the model has not seen, by the same model.'}
            </span>
          </>
        )}
      </div>
      {r?.skipped.length ? (
        <p className="use-hint">
          {r.skipped
            .map((s) => (s.id === 'held-out' ? 'To score a class the model has never seen, choose one under “Hold out class” and train again.' : `${SKIPPED_NAMES[s.id]}: ${s.reason}.`))
            .join(' ')}
        </p>
      ) : null}
      <div className="anomaly" ref={measureRef}>
        {r && sets && frame && width > 0 ? (
          <>
            <div className={`anomaly-charts${stacked ? ' stacked' : ''}`}>
              <div className="anomaly-hist" ref={histRef}>
                {histWidth > 0 ? (
                  <ScoreHistogram sets={sets} frame={frame} width={histWidth} scoreLabel={labelOf(key)} threshold={threshold} onThreshold={onThreshold} marker={marker} />
                ) : null}
                <label className="anomaly-slider">
                  <span>Threshold</span>
                  <input
                    type="range"
                    min={0}
                    max={1000}
                    step={1}
                    aria-label="Threshold"
                    aria-valuetext={`${fmt(threshold)} nats`}
                    value={Math.round(Math.max(0, Math.min(1, toSlider(threshold))) * 1000)}
                    onChange={(e) => onThreshold(fromSlider(Number(e.target.value) / 1000))}
                  />
                  <span className="num">{fmt(threshold)} nats</span>
                </label>
                <p className="anomaly-rates" data-testid="false-positive-rate">
                  Flagging {labelOf(key)} ≥ <b>{fmt(threshold)}</b> flags <b>{percent(rates[0])}</b> of the test set (the false-positive rate) and{' '}
                  {sets.slice(1).map((s, i) => (
                    <span key={s.id} className="anomaly-rate">
                      <i style={{ background: setColor(s.id) }} /> {s.label} <b>{percent(rates[i + 1])}</b>
                      {i < sets.length - 2 ? ', ' : '.'}
                    </span>
                  ))}
                </p>
                {lowAuc.length ? (
                  <p className="use-hint anomaly-note">
                    AUC below 0.5 for {lowAuc.join(' and ')}: the model finds those images <i>more</i> likely than its own test set. Simple images with little ink are easy to
                    explain, whatever they show; a high likelihood is not the same as being in the data (Nalisnick et al. 2019, &ldquo;Do deep generative models know what they
                    don&rsquo;t know?&rdquo;).
                  </p>
                ) : null}
              </div>
              <div className="anomaly-roc">
                <RocChart sets={sets} curves={curves} rates={rates} size={ROC_SIZE} />
                <table className="anomaly-auc">
                  <caption>AUC against the test set</caption>
                  <thead>
                    <tr>
                      <th scope="col">set</th>
                      {keys.map((k) => (
                        <th key={k} scope="col" className={k === key ? 'chosen' : undefined}>
                          {labelOf(k)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    <tr className="anomaly-test-row">
                      <th scope="row">
                        <i style={{ background: setColor('test') }} /> {sets[0].label}
                      </th>
                      <td colSpan={keys.length}>{NUMBER.format(sets[0].count)} images</td>
                    </tr>
                    {sets.slice(1).map((s, i) => (
                      <tr key={s.id} data-set={s.id}>
                        <th scope="row">
                          <i style={{ background: setColor(s.id) }} /> {s.label}
                        </th>
                        {aucs[i].map((a, j) => (
                          <td key={keys[j]} className={keys[j] === key ? 'chosen num' : 'num'}>
                            {fmt(a, 3)}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
            <div className="anomaly-typical">
              {(
                [
                  ['Most typical test images', 'lowest −ELBO', r.mostTypical],
                  ['Least typical test images', 'highest −ELBO', r.leastTypical],
                ] as const
              ).map(([title, note, images]) => (
                <figure key={title}>
                  <figcaption>
                    {title} <span>({note})</span>
                  </figcaption>
                  <ImageStrip images={images.images} count={images.indices.length} shape={imageShape} scale={255} cell={TYPICAL_CELL} gap={3} label={`${title}: ${Array.from(images.negativeElbo, (v) => fmt(v)).join(', ')} nats`} />
                  <div className="anomaly-typical-scores" style={{ gridTemplateColumns: `repeat(${images.indices.length}, ${TYPICAL_CELL}px)` }}>
                    {Array.from(images.negativeElbo, (v, i) => (
                      <span key={i} className="num">
                        {fmt(v, 0)}
                      </span>
                    ))}
                  </div>
                </figure>
              ))}
            </div>
          </>
        ) : (
          <div className="panel-empty use-empty">
            {state.error ?? (running ? 'Scoring the test set and the other sets…' : 'Press “Score the test set”: the model scores 10,000 test images and 2,000 of each other set.')}
          </div>
        )}
      </div>
      {r && state.error ? <p className="use-error">{state.error}</p> : null}
    </Panel>
  );
}

/** The drawn digit's scores for the histogram marker. */
export function drawingScores(result: { negativeElbo: Float32Array; terms: Record<string, Float32Array> } | null): AnomalyDetectionProps['drawing'] {
  if (!result || result.negativeElbo.length === 0) return null;
  return { negativeElbo: result.negativeElbo[0], terms: Object.fromEntries(Object.entries(result.terms).map(([k, v]) => [k, v[0]])) };
}

