/**
 * Draw a digit: a canvas for mouse, touch and pen (and a dropped or opened PNG / JPEG), normalised
 * like MNIST (the ink's box scaled to 20 pixels, centred by its centre of mass in 28×28) and encoded
 * live. Beside it the model's input, its reconstruction and its −ELBO against the test set's; its
 * posterior appears on the latent space.
 */
import { useCallback, useEffect, useRef, useState, type DragEvent, type PointerEvent as ReactPointerEvent } from 'react';
import { fractionBelow } from '../../../core/analysis/roc';
import { inkFromRgba, layoutFor, normaliseLikeMnist } from '../../../data/drawing';
import { blankImageMessage, imageFileProblem, sniffImageFile, undecodableImageMessage } from '../../../data/imageFile';
import type { DrawingState } from '../../../state/analysis/state';
import { fmt } from '../../format';
import { Panel } from '../../components/Panel';
import { ImageStrip } from './ImageStrip';

export interface DrawDigitProps {
  state: DrawingState;
  imageShape: { width: number; height: number };
  /** The test set's −ELBO, sorted ascending (from Anomaly detection), or null before scoring. */
  testScores: Float64Array | null;
  /** Anomaly detection's threshold on −ELBO, or null. */
  threshold: number | null;
  datasetName: string;
  onInput(input: Float32Array | null, source: DrawingState['source']): void;
  onMessage(message: string | null): void;
}

/** The pad's own resolution (drawn at 196 CSS pixels), and the brush: MNIST-like strokes after scaling. */
const PAD = 280;
const PAD_CSS = 196;
const BRUSH = 22;
/** Pictures larger than this are scaled down before their ink is read. */
const MAX_PICTURE = 512;

function padInput(canvas: HTMLCanvasElement, side: number): Float32Array | null {
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return null;
  const { data } = ctx.getImageData(0, 0, PAD, PAD);
  return normaliseLikeMnist(inkFromRgba(data, { width: PAD, height: PAD }), { width: PAD, height: PAD }, layoutFor(side));
}

function clearPad(canvas: HTMLCanvasElement | null): void {
  const ctx = canvas?.getContext('2d', { willReadFrequently: true });
  if (!ctx) return;
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, PAD, PAD);
}

export function DrawDigit({ state, imageShape, testScores, threshold, datasetName, onInput, onMessage }: DrawDigitProps) {
  const padRef = useRef<HTMLCanvasElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const stroke = useRef<{ id: number; x: number; y: number } | null>(null);
  const frame = useRef(0);
  const [dragOver, setDragOver] = useState(false);
  const side = imageShape.width;

  useEffect(() => {
    clearPad(padRef.current);
    return () => cancelAnimationFrame(frame.current);
  }, []);

  /** Read the pad at most once a frame while drawing. */
  const schedule = useCallback(() => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      const canvas = padRef.current;
      if (canvas) onInput(padInput(canvas, side), { kind: 'drawing' });
    });
  }, [onInput, side]);

  const at = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    return { x: ((e.clientX - rect.left) / rect.width) * PAD, y: ((e.clientY - rect.top) / rect.height) * PAD };
  };

  const line = (from: { x: number; y: number }, to: { x: number; y: number }) => {
    const ctx = padRef.current?.getContext('2d', { willReadFrequently: true });
    if (!ctx) return;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = BRUSH;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
  };

  const onPointerDown = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    if (state.source?.kind === 'file') clearPad(padRef.current);
    const p = at(e);
    stroke.current = { id: e.pointerId, ...p };
    line(p, { x: p.x + 0.01, y: p.y });
    schedule();
  };

  const onPointerMove = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    const s = stroke.current;
    if (!s || s.id !== e.pointerId) return;
    const p = at(e);
    line(s, p);
    stroke.current = { id: e.pointerId, ...p };
    schedule();
  };

  const endStroke = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    if (stroke.current?.id === e.pointerId) stroke.current = null;
  };

  const clear = () => {
    clearPad(padRef.current);
    onInput(null, null);
  };

  /** A picture from a file: checked by its bytes, decoded by the browser, drawn on the pad and read like a drawing. */
  const openFile = async (file: File) => {
    const bytes = new Uint8Array(await file.slice(0, 4096).arrayBuffer());
    const problem = imageFileProblem(file.name, bytes);
    if (problem) {
      onMessage(problem);
      return;
    }
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(file);
    } catch {
      onMessage(undecodableImageMessage(file.name, sniffImageFile(bytes) ?? 'png'));
      return;
    }
    const scale = Math.min(1, MAX_PICTURE / Math.max(bitmap.width, bitmap.height));
    const w = Math.max(1, Math.round(bitmap.width * scale));
    const h = Math.max(1, Math.round(bitmap.height * scale));
    const scratch = document.createElement('canvas');
    scratch.width = w;
    scratch.height = h;
    const ctx = scratch.getContext('2d', { willReadFrequently: true });
    if (!ctx) return;
    ctx.drawImage(bitmap, 0, 0, w, h);
    bitmap.close();
    const input = normaliseLikeMnist(inkFromRgba(ctx.getImageData(0, 0, w, h).data, { width: w, height: h }), { width: w, height: h }, layoutFor(side));
    if (!input) {
      onMessage(blankImageMessage(file.name));
      return;
    }
    // show the picture on the pad, fitted, so what is being read is visible
    const pad = padRef.current?.getContext('2d', { willReadFrequently: true });
    if (pad) {
      clearPad(padRef.current);
      const fit = Math.min(PAD / w, PAD / h);
      pad.drawImage(scratch, (PAD - w * fit) / 2, (PAD - h * fit) / 2, w * fit, h * fit);
    }
    onInput(input, { kind: 'file', name: file.name });
  };

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragOver(false);
    const file = e.dataTransfer.files[0];
    if (file) void openFile(file);
  };

  const result = state.result;
  const score = result ? result.negativeElbo[0] : null;
  const rank = score !== null && testScores ? fractionBelow(testScores, score) : null;
  const flagged = score !== null && threshold !== null && score >= threshold;

  const caption = (
    <>
      Draw with the mouse, a finger or a pen, or drop a PNG or JPEG. Like MNIST, the ink is cropped, scaled so its longer side is {layoutFor(side).box} pixels and centred by its
      centre of mass in {side}×{side}; then it is encoded as you draw: its posterior q(z|x) (mean and 1σ ellipse) appears on the latent space, its reconstruction here and its −ELBO
      on the anomaly histogram.
    </>
  );

  return (
    <Panel title="Draw a digit" className="use-draw" caption={caption}>
      <div className="draw">
        <div
          className={`draw-pad-wrap${dragOver ? ' drag-over' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragOver(true);
          }}
          onDragLeave={() => setDragOver(false)}
          onDrop={onDrop}
        >
          <canvas
            ref={padRef}
            className="draw-pad"
            width={PAD}
            height={PAD}
            style={{ width: PAD_CSS, height: PAD_CSS }}
            role="img"
            aria-label="Drawing pad: draw a digit here, or drop a PNG or JPEG on it"
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={endStroke}
            onPointerCancel={endStroke}
            onLostPointerCapture={endStroke}
          />
          <div className="draw-buttons">
            <button type="button" onClick={clear}>
              Clear
            </button>
            <button type="button" onClick={() => fileRef.current?.click()}>
              Open a picture…
            </button>
            <input
              ref={fileRef}
              type="file"
              accept="image/png,image/jpeg"
              className="visually-hidden"
              aria-label="Open a picture of a digit"
              tabIndex={-1}
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void openFile(file);
                e.target.value = '';
              }}
            />
          </div>
        </div>
        <div className="draw-side">
          <div className="draw-images">
            <figure>
              <ImageStrip images={state.input} count={1} shape={imageShape} cell={84} label="The drawing as the model sees it" />
              <figcaption>model input</figcaption>
            </figure>
            <figure>
              <ImageStrip images={state.input ? (result?.reconstructions ?? null) : null} count={1} shape={imageShape} cell={84} label="Its reconstruction" className="draw-reconstruction" />
              <figcaption>reconstruction</figcaption>
            </figure>
          </div>
          {state.input && result ? (
            <dl className="draw-figures" data-testid="drawing-score">
              <div>
                <dt>−ELBO</dt>
                <dd className="num">{fmt(score)} nats</dd>
              </div>
              <div className="recon">
                <dt>reconstruction</dt>
                <dd className="num">{fmt(result.terms.reconstruction?.[0])}</dd>
              </div>
              <div className="kl">
                <dt>KL</dt>
                <dd className="num">{fmt(result.terms.kl?.[0])}</dd>
              </div>
            </dl>
          ) : (
            <p className="draw-empty">{state.input ? 'Encoding…' : `Nothing drawn yet. Draw something like a ${datasetName} image.`}</p>
          )}
          {rank !== null ? (
            <p className="draw-typical">
              How typical is your digit? Its −ELBO is higher than <b>{Math.round(rank * 100)}%</b> of the test set&rsquo;s
              {flagged ? <>: the anomaly threshold flags it.</> : rank > 0.95 ? <>: unusual for this model.</> : <>.</>}
              <span className="draw-rank" aria-hidden="true">
                <span style={{ left: `${Math.round(rank * 100)}%` }} />
              </span>
            </p>
          ) : state.input && result ? (
            <p className="draw-typical">Score the test set in Anomaly detection to see how typical it is.</p>
          ) : null}
        </div>
      </div>
      {state.message ? (
        <p className="use-error" role="alert">
          {state.message}
        </p>
      ) : null}
    </Panel>
  );
}
