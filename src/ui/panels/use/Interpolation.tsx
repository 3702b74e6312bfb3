/**
 * Interpolation: ten decodings on the path between the posterior means of two test images (linear,
 * or spherical for more than two dimensions), and under them the same fractions of the two images
 * blended in pixel space. The ends come by class, at random, or picked on the latent scatter, where
 * the path is drawn and either end can be dragged.
 */
import { rowNorms } from '../../../core/analysis/interpolation';
import type { InterpolationState } from '../../../state/analysis/state';
import { fmt } from '../../format';
import { useElementWidth } from '../../hooks/useElementWidth';
import { Panel } from '../../components/Panel';
import { cellSize, ImageStrip } from './ImageStrip';

export interface InterpolationProps {
  state: InterpolationState;
  latentDim: number;
  classNames: string[];
  imageShape: { width: number; height: number };
  onPath(path: InterpolationState['path']): void;
  onClasses(from: number | null, to: number | null): void;
  onAnother(): void;
  onPick(end: 0 | 1 | null): void;
}

const LABEL_WIDTH = 104;
const GAP = 4;
const ANY = 'any';

function revealScatter(): void {
  document.querySelector('.panel-latent')?.scrollIntoView({ behavior: 'smooth', block: 'center' });
}

function endText(state: InterpolationState, end: 0 | 1, classNames: string[]): string {
  const e = state.ends?.[end];
  if (!e) return '–';
  return e.kind === 'point' ? `test #${e.testIndex} (${classNames[e.label] ?? e.label})` : 'a point you dragged';
}

export function Interpolation({ state, latentDim, classNames, imageShape, onPath, onClasses, onAnother, onPick }: InterpolationProps) {
  const [measureRef, width] = useElementWidth();
  const { result, steps } = state;
  const spherical = latentDim > 2 && state.path === 'spherical';
  const cell = cellSize(width - LABEL_WIDTH - 10, steps, GAP, 24, 84);
  const norms = result ? rowNorms(result.latents, latentDim) : null;
  const classOptions = (
    <>
      <option value={ANY}>any</option>
      {classNames.map((name, i) => (
        <option key={i} value={i}>
          {name}
        </option>
      ))}
    </>
  );
  const pick = (value: string) => (value === ANY ? null : Number(value));

  const tools =
    latentDim > 2 ? (
      <div className="use-segmented" role="group" aria-label="Path">
        {(['linear', 'spherical'] as const).map((p) => (
          <button key={p} type="button" aria-pressed={state.path === p} onClick={() => onPath(p)}>
            {p}
          </button>
        ))}
      </div>
    ) : null;

  const caption = (
    <>
      Each image above is the decoder&rsquo;s mean at a point z on the path from μ(x<sub>A</sub>) to μ(x<sub>B</sub>), the posterior means of two test images
      {spherical ? <> (spherical: the direction turns along the great circle while |z| moves from |μ_A| to |μ_B|)</> : latentDim > 2 ? <> (a straight line)</> : null}.
      Below, the same fractions t of the two images mixed pixel by pixel, (1 − t)·x<sub>A</sub> + t·x<sub>B</sub>.
      {norms ? (
        <>
          {' '}
          Along the path |z| runs <b>{fmt(norms[0], 2)}</b> → <b>{fmt(norms[Math.floor(norms.length / 2)], 2)}</b> → <b>{fmt(norms[norms.length - 1], 2)}</b>
          {latentDim > 2 ? <> (typical codes of N(0, I) have |z| ≈ √{latentDim} = {fmt(Math.sqrt(latentDim), 1)})</> : null}.
        </>
      ) : null}{' '}
      The path is drawn on the latent space: drag A or B there.
    </>
  );

  return (
    <Panel title="Interpolation" className="use-interpolation" caption={caption} tools={tools}>
      <div className="use-controls">
        <label className="use-field">
          From
          <select aria-label="From class" value={state.fromClass ?? ANY} onChange={(e) => onClasses(pick(e.target.value), state.toClass)}>
            {classOptions}
          </select>
        </label>
        <label className="use-field">
          to
          <select aria-label="To class" value={state.toClass ?? ANY} onChange={(e) => onClasses(state.fromClass, pick(e.target.value))}>
            {classOptions}
          </select>
        </label>
        <button type="button" onClick={onAnother} disabled={!state.ends}>
          Another pair
        </button>
        <span className="use-sep" aria-hidden="true" />
        <span className="use-note">Pick on the latent space:</span>
        {([0, 1] as const).map((end) => (
          <button key={end} type="button" aria-pressed={state.picking === end} onClick={() => onPick(end)} disabled={!state.ends} title={`Then shift-click or double-click a point of the latent space to make it end ${end ? 'B' : 'A'}`}>
            {end ? 'B' : 'A'}
          </button>
        ))}
      </div>
      {state.picking !== null ? (
        <p className="use-hint" role="status">
          Shift-click or double-click a point in the latent space to make it end {state.picking ? 'B' : 'A'}.{' '}
          <button type="button" className="use-link" onClick={revealScatter}>
            Show the latent space
          </button>{' '}
          <button type="button" className="use-link" onClick={() => onPick(null)}>
            Stop picking
          </button>
        </p>
      ) : null}
      <div className="interp" ref={measureRef} data-step={result?.step ?? ''}>
        {result ? (
          <>
            <div className="interp-row">
              <div className="interp-label" style={{ width: LABEL_WIDTH }}>
                Latent path
                <span>decoded p(x|z)</span>
              </div>
              <ImageStrip images={result.images} count={steps} shape={imageShape} cell={cell} gap={GAP} label={`${steps} decodings on the path from ${endText(state, 0, classNames)} to ${endText(state, 1, classNames)}`} className="interp-latent" />
            </div>
            <div className="interp-row">
              <div className="interp-label" style={{ width: LABEL_WIDTH }}>
                Pixel blend
                <span>(1 − t)·x_A + t·x_B</span>
              </div>
              <ImageStrip images={result.blends} count={steps} shape={imageShape} cell={cell} gap={GAP} label={`${steps} pixel blends of the two images`} className="interp-pixel" />
            </div>
            <div className="interp-ends" style={{ marginLeft: LABEL_WIDTH + 10, width: steps * cell + (steps - 1) * GAP }}>
              <span>
                <b>A</b> · {endText(state, 0, classNames)}
              </span>
              <span className="interp-t">t = 0 … 1</span>
              <span>
                {endText(state, 1, classNames)} · <b>B</b>
              </span>
            </div>
          </>
        ) : (
          <div className="panel-empty use-empty">{state.error ?? (state.ends ? 'Decoding the path…' : 'Waiting for the test set’s posteriors…')}</div>
        )}
      </div>
      {result && state.error ? <p className="use-error">{state.error}</p> : null}
    </Panel>
  );
}
