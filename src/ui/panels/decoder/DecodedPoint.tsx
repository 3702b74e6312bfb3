/**
 * The probe's decoding: the decoder's mean image for the probe's z, large and crisp, with the z
 * coordinates shown in the latent space and, for more than two dimensions, inputs for the others.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { ImageMosaic } from '../../charts/ImageMosaic';
import { mosaicLayout } from '../../charts/mosaic';
import { Panel } from '../../components/Panel';
import { formatCoord, formatMilliseconds, latentLabel } from '../../format';
import './decoder.css';

export interface DecodedPointProps {
  /** The decoded mean image, [width·height], values 0..1. */
  image: Float32Array | null;
  imageShape: { width: number; height: number };
  /** The probe's full latent vector. */
  probe: number[];
  latentDim: number;
  /** The two dimensions the scatter shows, or null when it shows principal components. */
  shownDims: [number, number] | null;
  onProbeChange(z: number[]): void;
  latencyMs?: number | null;
  /** The training step of the decoder copy that decoded the image, or null when the training worker did. */
  copyStep?: number | null;
  /** A line the model adds under the coordinates (the class decoded, which prior component claims the probe). */
  note?: ReactNode;
  /** What the decoder is, when it is more than a mean image (the autoregressive decoder's draw, a learned σ): joins the caption. */
  decoderNote?: ReactNode;
}

const SIZE = 168;
const ONE_TILE = Int32Array.of(0);

/** How far from the origin a typed coordinate may go: 100 prior standard deviations (1e308 would reach the decoder as Infinity). */
const COORD_LIMIT = 100;

/** A number input that lets you type freely ("-", "0.") and reports only finite numbers, within ±COORD_LIMIT. */
function CoordInput({ dim, value, onChange }: { dim: number; value: number; onChange(v: number): void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const shown = draft ?? (Math.abs(value) < 0.005 ? '0.00' : value.toFixed(2));
  return (
    <label className="decoded-other">
      <span>{latentLabel(dim)}</span>
      <input
        type="number"
        step={0.1}
        min={-COORD_LIMIT}
        max={COORD_LIMIT}
        inputMode="decimal"
        className={Math.abs(value) > 1e-9 ? 'nonzero' : undefined}
        value={shown}
        onFocus={() => setDraft(shown)}
        onBlur={() => setDraft(null)}
        onChange={(e) => {
          setDraft(e.target.value);
          const v = Number.parseFloat(e.target.value);
          if (Number.isFinite(v)) onChange(Math.max(-COORD_LIMIT, Math.min(COORD_LIMIT, v)));
        }}
      />
    </label>
  );
}

export function DecodedPoint({ image, imageShape, probe, latentDim, shownDims, onProbeChange, latencyMs, copyStep, note, decoderNote }: DecodedPointProps) {
  const { width: w, height: h } = imageShape;
  const hasImage = !!image && image.length >= w * h && w > 0;
  const z = Array.from({ length: latentDim }, (_, i) => probe[i] ?? 0);
  const layout = useMemo(() => mosaicLayout({ rows: 1, cols: 1, image: imageShape, cell: SIZE }), [imageShape]);

  const shown = shownDims && shownDims.every((d) => d >= 0 && d < latentDim) ? shownDims : null;
  const others = latentDim > 2 ? z.map((_, i) => i).filter((i) => !shown || !shown.includes(i)) : [];
  const setCoord = (i: number, v: number) => onProbeChange(z.map((old, j) => (j === i ? v : old)));

  const caption = (
    <>
      The decoder&rsquo;s mean image for the probe&rsquo;s z: drag the probe in the latent space, or use the arrow keys.
      {latentDim > 2 ? (shown ? latentDim === 3 ? <> The remaining coordinate stays where you set it here.</> : <> The other {latentDim - 2} coordinates stay where you set them here.</> : <> In the PCA view the probe moves within the principal plane.</>) : null}
      {decoderNote}
    </>
  );

  return (
    <Panel title="Decoded point" className="decoded-panel" caption={caption}>
      <div className="decoded-point">
        <div className="decoded-image" style={{ height: (SIZE * h) / (w || 1) }}>
          <ImageMosaic
            images={hasImage ? image : null}
            image={imageShape}
            layout={layout}
            tiles={ONE_TILE}
            role="img"
            aria-label={
              hasImage
                ? `Decoded image for ${z.map((v, i) => `${latentLabel(i)} = ${formatCoord(v)}`).slice(0, 8).join(', ')}${latentDim > 8 ? ', …' : ''}`
                : 'No decoded image yet'
            }
          />
          {hasImage ? null : <div className="panel-empty">Waiting for the decoder…</div>}
        </div>
        <div className="decoded-info">
          {shown || latentDim <= 2 ? (
            <div className="decoded-coords">
              {(shown ?? [0, 1].filter((d) => d < latentDim)).map((d) => (
                <span key={d} className="num">
                  {latentLabel(d)} = {formatCoord(z[d])}
                </span>
              ))}
            </div>
          ) : null}
          {note ? <div className="decoded-note">{note}</div> : null}
          {others.length > 0 ? (
            <div className="decoded-others-block">
              <div className="decoded-others-head">
                <span>{shown ? 'Other coordinates' : 'All coordinates'}</span>
                <button type="button" onClick={() => onProbeChange(z.map((v, i) => (others.includes(i) ? 0 : v)))}>
                  {shown ? 'Zero others' : 'Zero all'}
                </button>
              </div>
              <div className="decoded-others">
                {others.map((i) => (
                  <CoordInput key={i} dim={i} value={z[i]} onChange={(v) => setCoord(i, v)} />
                ))}
              </div>
            </div>
          ) : null}
          {hasImage && latencyMs !== null && latencyMs !== undefined && Number.isFinite(latencyMs) ? (
            <div className="decoded-latency" title={copyStep === null || copyStep === undefined ? 'decoded by the training worker, between two training steps' : 'decoded by a copy of the decoder in a worker of its own, refreshed every 0.1 s while training: it never waits for a training step'}>
              decoded in {formatMilliseconds(latencyMs)}
              {copyStep === null || copyStep === undefined ? ' by the training worker' : ` by the decoder’s copy (weights of step ${copyStep.toLocaleString('en-US')})`}
            </div>
          ) : null}
        </div>
      </div>
    </Panel>
  );
}
