/**
 * Reconstructions: a row of test images over their reconstructions (the decoder's mean at the
 * posterior mean) and a few decoded draws z ~ q(z|x) that show the posterior's spread, refreshed
 * while training. "Corrupt" adds noise or blanks a block of each input: the model puts back what
 * it has learned is typical (denoising, inpainting).
 */
import { CORRUPTIONS, type CorruptionKind } from '../../../data/corruption';
import type { ReconstructionState } from '../../../state/analysis/state';
import { fmt } from '../../format';
import { useElementWidth } from '../../hooks/useElementWidth';
import { Panel } from '../../components/Panel';
import { cellSize, ImageStrip } from './ImageStrip';

export interface ReconstructionsProps {
  state: ReconstructionState;
  imageShape: { width: number; height: number };
  classNames: string[];
  labels: Uint8Array | null;
  onCorruption(kind: CorruptionKind): void;
}

const LABEL_WIDTH = 104;
const GAP = 4;

export function Reconstructions({ state, imageShape, classNames, labels, onCorruption }: ReconstructionsProps) {
  const [measureRef, width] = useElementWidth();
  const { result, inputs, pointIndices, corruption, masked } = state;
  const count = pointIndices?.length ?? 0;
  const cell = cellSize(width - LABEL_WIDTH - 10, Math.max(1, count), GAP, 24, 72);
  const samples = result?.samples ?? 0;
  const pixels = imageShape.width * imageShape.height;
  // the samples come image after image; rows of the grid are sample after sample
  const sampleRows = result
    ? Array.from({ length: samples }, (_, s) => {
        const row = new Float32Array(result.count * pixels);
        for (let i = 0; i < result.count; i++) row.set(result.sampleImages.subarray((i * samples + s) * pixels, (i * samples + s + 1) * pixels), i * pixels);
        return row;
      })
    : [];
  const corruptionCaption = CORRUPTIONS.find((c) => c.id === corruption)?.caption ?? '';

  const tools = (
    <div className="use-segmented" role="group" aria-label="Corrupt">
      <span className="use-segmented-label">Corrupt</span>
      {CORRUPTIONS.map((c) => (
        <button key={c.id} type="button" aria-pressed={corruption === c.id} onClick={() => onCorruption(c.id)} title={c.caption}>
          {c.label}
        </button>
      ))}
    </div>
  );

  const caption = (
    <>
      Top: test images{corruption === 'none' ? '' : <>, corrupted ({corruptionCaption}{corruption === 'mask' ? ', marked in red' : ''})</>}. Below: the decoder&rsquo;s mean at the posterior mean
      μ(x), the reconstruction; then at {samples || 3} draws z ~ q(z|x), how much the posterior leaves open. The number under each column is that input&rsquo;s −ELBO in nats.
      {corruption !== 'none' ? <> The model has only seen clean images: it reconstructs what it has learned is typical, removing noise and filling the blank.</> : null}
      {result ? (
        <>
          {' '}
          Decoded at step <b>{result.step.toLocaleString('en-US')}</b>.
        </>
      ) : null}
    </>
  );

  const row = (label: string, note: string, images: Float32Array | null, className: string, mask?: Uint8Array | null) => (
    <div className="recon-row" key={className}>
      <div className="interp-label" style={{ width: LABEL_WIDTH }}>
        {label}
        {note ? <span>{note}</span> : null}
      </div>
      <ImageStrip images={images} count={count} shape={imageShape} cell={cell} gap={GAP} masked={mask} label={`${label}: ${count} images`} className={className} />
    </div>
  );

  return (
    <Panel title="Reconstructions" className="use-reconstructions" caption={caption} tools={tools}>
      <div className="recon" ref={measureRef} data-step={result?.step ?? ''}>
        {inputs && count > 0 ? (
          <>
            {row('Input', corruption === 'none' ? 'test images' : corruption === 'noise' ? 'with noise' : 'masked', inputs, 'recon-inputs', masked)}
            {row('Reconstruction', 'at z = μ(x)', result?.reconstructions ?? null, 'recon-means')}
            {sampleRows.map((images, s) => row(s === 0 ? 'Samples' : '', s === 0 ? 'z ~ q(z|x)' : '', images, `recon-sample-${s}`))}
            <div className="recon-scores" style={{ marginLeft: LABEL_WIDTH + 10, gridTemplateColumns: `repeat(${count}, ${cell}px)`, columnGap: GAP }}>
              {Array.from({ length: count }, (_, i) => (
                <span key={i} className="num" title={labels && pointIndices ? classNames[labels[pointIndices[i]]] : undefined}>
                  {result ? fmt(result.negativeElbo[i], 0) : '–'}
                </span>
              ))}
            </div>
          </>
        ) : (
          <div className="panel-empty use-empty">Waiting for the test set&rsquo;s posteriors…</div>
        )}
      </div>
    </Panel>
  );
}
