/**
 * One snapshot card: its posterior means on the two most informative dimensions (the same ±4 range
 * on every card), traversals of its top dimensions, its KL per dimension on the shared scale, and
 * its scores (−ELBO and each declared loss term, active units, MIG).
 */
import { useMemo } from 'react';
import { termValue } from '../../../core/objective/terms';
import type { Snapshot } from '../../../state/appState';
import { MiniScatter } from '../../charts/MiniScatter';
import { scatterDims, SHARED_RANGE } from '../../charts/miniScatterGeometry';
import { termColors } from '../../charts/termColors';
import { formatCount, formatNats, formatScore, latentLabel, termName } from '../../format';
import { ImageMosaic } from '../../charts/ImageMosaic';
import { devicePx, mosaicLayout, sequentialTiles } from '../../charts/mosaic';
import { KlStrip } from './KlStrip';
import { traversalHeight, TraversalStrip } from './TraversalStrip';

/** Inner width of a card and size of its scatter, CSS pixels. */
export const CARD_INNER = 204;

export interface SnapshotCardProps {
  snapshot: Snapshot;
  onRemove(id: number): void;
  /** The largest KL of any card's dimension: the bars' shared scale. */
  klMax: number;
  /** Traversal rows to reserve, so the sections below line up across cards. */
  traversalSlots: number;
  imageShape?: { width: number; height: number };
}

export function SnapshotCard({ snapshot, onRemove, klMax, traversalSlots, imageShape }: SnapshotCardProps) {
  const { title, step, latents, traversal, values, terms } = snapshot;
  const klPerDim = useMemo(() => values?.klPerDim ?? [], [values]);
  const dim = latents.latentDim;
  const dims = useMemo(() => scatterDims(dim, klPerDim), [dim, klPerDim]);
  const colors = useMemo(() => termColors(terms), [terms]);
  const byKl = dim > 2 && klPerDim.length === dim;
  const scatterLabel =
    `Posterior means of ${formatCount(latents.count)} test images on ${latentLabel(dims[0])}` +
    (dims[1] >= 0 ? ` and ${latentLabel(dims[1])}` : '') +
    (byKl ? ', the two dimensions with the largest KL' : '');

  return (
    <article className="snap-card" aria-label={title}>
      <header className="snap-head">
        <div className="snap-titles">
          <h3 className="snap-title">{title}</h3>
          <span className="snap-step">step {formatCount(step)}</span>
        </div>
        <button type="button" className="snap-remove" aria-label={`Remove snapshot ${title}`} title="Remove this snapshot" onClick={() => onRemove(snapshot.id)}>
          <svg viewBox="0 0 12 12" width="12" height="12" aria-hidden="true">
            <path d="M3 3 9 9M9 3 3 9" />
          </svg>
        </button>
      </header>
      <MiniScatter latents={latents} dims={dims} range={SHARED_RANGE} size={CARD_INNER} label={scatterLabel} />
      <div className="snap-note">
        {dims[1] >= 0 ? `${latentLabel(dims[0])} × ${latentLabel(dims[1])}` : latentLabel(dims[0])}
        {byKl ? ` of ${dim}, largest KL` : ''}
      </div>
      {traversalSlots > 0 ? (
        <section className="snap-section" role="group" aria-label="Traversals">
          <h4 className="snap-section-title">Traversals</h4>
          {traversal ? (
            <TraversalStrip traversal={traversal} slots={traversalSlots} imageShape={imageShape} />
          ) : (
            <div className="snap-placeholder" style={{ height: traversalHeight(traversalSlots) }}>
              no traversal
            </div>
          )}
        </section>
      ) : null}
      {snapshot.samples ? (
        <section className="snap-section" aria-label="Samples from the prior">
          <h4 className="snap-section-title">Samples z ~ N(0, I)</h4>
          <SampleStrip samples={snapshot.samples} imageShape={imageShape} />
        </section>
      ) : null}
      <KlStrip klPerDim={klPerDim} max={klMax} shown={dims} width={CARD_INNER} />
      <dl className="snap-stats">
        <Stat label="−ELBO" value={values?.negativeElbo ?? null} />
        {terms.map((t, i) =>
          // the KL's parts are on the loss chart; the card keeps the ELBO's own terms
          t.partOf !== undefined ? null : (
          <Stat key={t.id} label={termName(t)} value={values ? termValue(values, t.id) : null} color={colors[i]} />
          ),
        )}
        <div>
          <dt>active units</dt>
          <dd>
            {snapshot.activeUnits === null ? '–' : snapshot.activeUnits}
            <span className="snap-of"> / {dim}</span>
          </dd>
        </div>
        {snapshot.mutualInformation !== undefined && snapshot.mutualInformation !== null ? (
          <Stat label="I(x; z) ≈" value={snapshot.mutualInformation} />
        ) : null}
        {snapshot.mig !== null ? (
          <div>
            <dt title="Mutual information gap (Chen et al. 2018): 0 = entangled, 1 = each factor in one dimension">MIG</dt>
            <dd>{formatScore(snapshot.mig)}</dd>
          </div>
        ) : null}
        {snapshot.quality ? (
          <>
            <div>
              <dt title={`Fréchet distance in our classifier's features (lower is better; not comparable with published FID), scored at step ${snapshot.quality.step}`}>Fréchet</dt>
              <dd>{snapshot.quality.frechetDistance.toFixed(1)}</dd>
            </div>
            <div>
              <dt title="Mean gradient magnitude of prior samples over that of test images">sharpness</dt>
              <dd>{snapshot.quality.sharpnessRatio.toFixed(2)}</dd>
            </div>
          </>
        ) : null}
      </dl>
    </article>
  );
}

/** A row of decoded samples, at the card's width. */
function SampleStrip({ samples, imageShape }: { samples: NonNullable<Snapshot['samples']>; imageShape?: { width: number; height: number } }) {
  const pixels = samples.count > 0 ? samples.images.length / samples.count : 0;
  const side = Math.round(Math.sqrt(pixels));
  const shape = imageShape ?? { width: side, height: side };
  const cols = Math.min(samples.count, 8);
  const layout = useMemo(() => mosaicLayout({ rows: Math.ceil(samples.count / cols), cols, image: shape, room: CARD_INNER, gapX: devicePx(1, 1) }), [samples.count, cols, shape]);
  const tiles = useMemo(() => sequentialTiles(samples.count), [samples.count]);
  return (
    <div style={{ width: layout.width, height: layout.height }}>
      <ImageMosaic images={samples.images} image={shape} layout={layout} tiles={tiles} role="img" aria-label={`${samples.count} decoded samples from the prior`} />
    </div>
  );
}

/** A figure in nats, in its term's colour (the bound in ink). */
function Stat({ label, value, color }: { label: string; value: number | null; color?: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd style={color ? { color } : undefined}>
        {value === null ? '–' : formatNats(value)}
        {value !== null ? <span className="snap-unit"> nats</span> : null}
      </dd>
    </div>
  );
}
