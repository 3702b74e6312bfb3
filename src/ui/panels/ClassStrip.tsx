/**
 * "Same z, every class": the probe's one z decoded as each class y in turn. In a conditional
 * model z carries what the class does not (slant, thickness, size), so the strip shows the same
 * style written as every digit.
 */
import { useLayoutEffect, useRef } from 'react';
import { drawGrayscale, prepareCanvas, type Rgb } from '../lib/imageCanvas';
import { useElementWidth } from '../lib/useElementWidth';
import { Panel } from './Panel';
import './classes.css';

export interface ClassStripProps {
  /** [classes, width·height] decoded means, class order. */
  images: Float32Array | null;
  classNames: string[];
  imageShape: { width: number; height: number };
  /** The class the picker shows, outlined. */
  picked: number;
  onPick(label: number): void;
}

const TILE_LOW: Rgb = [14, 18, 27];
const MAX_TILE = 56;

export function ClassStrip({ images, classNames, imageShape, picked, onPick }: ClassStripProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [measureRef, width] = useElementWidth();
  const { width: w, height: h } = imageShape;
  const pixels = w * h;
  const count = images && pixels > 0 ? Math.floor(images.length / pixels) : 0;
  const gap = 4;
  const tile = count > 0 ? Math.max(12, Math.min(MAX_TILE, Math.floor((width - gap * (count - 1)) / count))) : 0;
  const tileH = Math.round((tile * h) / (w || 1));

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !images || count === 0 || tile <= 0) return;
    const prepared = prepareCanvas(canvas, count * tile + gap * (count - 1), tileH);
    if (!prepared) return;
    prepared.ctx.clearRect(0, 0, canvas.width, canvas.height);
    for (let c = 0; c < count; c++) drawGrayscale(prepared.ctx, images, w, h, c * (tile + gap), 0, tile, 1, { offset: c * pixels, low: TILE_LOW });
  }, [images, count, tile, tileH, w, h, pixels]);

  const caption = (
    <>
      One z, the probe&rsquo;s, decoded by p(x|z, y) as every class y: z holds what the class does not say (slant, width, stroke), so each
      image has the same style. Click one to pick its class.
    </>
  );
  return (
    <Panel title="Same z, every class" className="class-strip-panel" caption={caption}>
      <div ref={measureRef} className="class-strip">
        {images && count > 0 ? (
          <div className="class-strip-row" style={{ width: count * tile + gap * (count - 1) }}>
            <canvas ref={canvasRef} role="img" aria-label={`The probe's z decoded as each of ${count} classes`} />
            <div className="class-strip-hits">
              {Array.from({ length: count }, (_, c) => (
                <button
                  key={c}
                  type="button"
                  className={c === picked ? 'picked' : undefined}
                  style={{ left: c * (tile + gap), width: tile, height: tileH }}
                  aria-label={`Decode as ${classNames[c] ?? c}`}
                  aria-pressed={c === picked}
                  onClick={() => onPick(c)}
                />
              ))}
            </div>
            <div className="class-strip-names" aria-hidden="true">
              {Array.from({ length: count }, (_, c) => (
                <span key={c} style={{ left: c * (tile + gap), width: tile }}>
                  {classNames[c] ?? c}
                </span>
              ))}
            </div>
          </div>
        ) : (
          <div className="panel-empty">Decoding the probe as every class…</div>
        )}
      </div>
    </Panel>
  );
}
