/**
 * "Same z, every class": the probe's one z decoded as each class y in turn. In a conditional
 * model z carries what the class does not (slant, thickness, size), so the strip shows the same
 * style written as every digit.
 */
import { useMemo } from 'react';
import { ImageMosaic } from '../../charts/ImageMosaic';
import { devicePx, mosaicLayout, sequentialTiles, tileBox } from '../../charts/mosaic';
import { Panel } from '../../components/Panel';
import { useElementWidth } from '../../hooks/useElementWidth';
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

const MAX_TILE = 56;

export function ClassStrip({ images, classNames, imageShape, picked, onPick }: ClassStripProps) {
  const [measureRef, width] = useElementWidth();
  const pixels = imageShape.width * imageShape.height;
  const count = images && pixels > 0 ? Math.floor(images.length / pixels) : 0;
  const gapX = devicePx(4, 1);
  const layout = useMemo(
    () => mosaicLayout({ rows: 1, cols: count, image: imageShape, room: Math.min(width, count * (MAX_TILE + 4)), gapX }),
    [count, imageShape, width, gapX],
  );
  const tiles = useMemo(() => sequentialTiles(count), [count]);

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
          <div className="class-strip-row" style={{ width: layout.width }}>
            <ImageMosaic images={images} image={imageShape} layout={layout} tiles={tiles} role="img" aria-label={`The probe's z decoded as each of ${count} classes`} />
            <div className="class-strip-hits">
              {Array.from({ length: count }, (_, c) => (
                <button
                  key={c}
                  type="button"
                  className={c === picked ? 'picked' : undefined}
                  style={{ left: tileBox(layout, 0, c).x, width: tileBox(layout, 0, c).width, height: tileBox(layout, 0, c).height }}
                  aria-label={`Decode as ${classNames[c] ?? c}`}
                  aria-pressed={c === picked}
                  onClick={() => onPick(c)}
                />
              ))}
            </div>
            <div className="class-strip-names" aria-hidden="true">
              {Array.from({ length: count }, (_, c) => (
                <span key={c} style={{ left: tileBox(layout, 0, c).x, width: tileBox(layout, 0, c).width }}>
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
