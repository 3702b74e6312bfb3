/**
 * “Your own images”: drop files, a folder or a zip (or pick them), see how many images there are
 * per class, a preview of what the model will see and why some files are not used, then train.
 * Shown while the Dataset is “Your own images”. The reading is the importer's
 * (state/ownImages/importer.ts); the limits are data/own/ownDataset.ts's.
 */
import { useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { OWN_IMAGE_LIMITS } from '../../data/own/ownDataset';
import type { Controller } from '../../state/controller';
import { PREVIEW_COUNT, type ImageSetSummary, type OwnSide } from '../../state/ownImages/importer';
import { sourcesOfDrop, sourcesOfFiles } from '../../state/ownImages/sources';
import { ImageMosaic } from '../charts/ImageMosaic';
import { mosaicLayout, sequentialTiles } from '../charts/mosaic';
import { useStore } from '../hooks/useStore';
import { Panel } from '../components/Panel';
import './ownImages.css';

const N = new Intl.NumberFormat('en-US');
const SKIPPED_SHOWN = 12;
const PREVIEW_COLUMNS = 12;

function Preview({ summary }: { summary: ImageSetSummary }) {
  const shown = Math.min(PREVIEW_COUNT, summary.count);
  const cols = Math.min(PREVIEW_COLUMNS, shown);
  const rows = Math.ceil(shown / Math.max(1, cols));
  const image = useMemo(() => ({ width: summary.side, height: summary.side }), [summary.side]);
  const layout = useMemo(() => mosaicLayout({ rows, cols, image, cell: 2 * summary.side, gapX: 2, gapY: 2 }), [rows, cols, image, summary.side]);
  const tiles = useMemo(() => sequentialTiles(shown), [shown]);
  if (shown === 0) return null;
  return (
    <ImageMosaic
      className="own-preview"
      images={summary.preview}
      image={image}
      layout={layout}
      tiles={tiles}
      scale={255}
      background="#0e121b"
      role="img"
      aria-label={`The first ${shown} of your images as the model sees them, ${summary.side}×${summary.side} grey`}
    />
  );
}

function Summary({ summary, inUse, onTrain }: { summary: ImageSetSummary; inUse: boolean; onTrain(): void }) {
  const enough = summary.count >= OWN_IMAGE_LIMITS.minImages;
  const classes = summary.classNames.length;
  return (
    <div className="own-summary">
      <p className="own-count" data-testid="own-count">
        <b>{N.format(summary.count)}</b> image{summary.count === 1 ? '' : 's'}
        {classes > 1 ? (
          <>
            {' '}
            in <b>{classes}</b> classes: {summary.classNames.map((c, i) => `${c} ${N.format(summary.perClass[i])}`).join(', ')}
          </>
        ) : null}
        , {summary.side}×{summary.side} grey.
        {summary.inverted ? ` ${N.format(summary.inverted)} light background${summary.inverted === 1 ? ' was' : 's were'} made dark.` : ''}
        {summary.leftOut ? ` ${N.format(summary.leftOut)} more left out (the limit is ${N.format(OWN_IMAGE_LIMITS.maxImages)}).` : ''}
        {enough ? ` ${N.format(Math.min(summary.count - 1, Math.max(1, Math.round(summary.count / 10))))} held out for testing.` : ''}
      </p>
      <Preview summary={summary} />
      {summary.skipped.length ? (
        <details className="own-skipped" open={summary.count === 0}>
          <summary>
            {N.format(summary.skipped.length)} file{summary.skipped.length === 1 ? '' : 's'} not used
          </summary>
          <ul>
            {summary.skipped.slice(0, SKIPPED_SHOWN).map((s) => (
              <li key={s.path}>
                <code>{s.path}</code>: {s.reason}
              </li>
            ))}
            {summary.skipped.length > SKIPPED_SHOWN ? <li>and {N.format(summary.skipped.length - SKIPPED_SHOWN)} more</li> : null}
          </ul>
        </details>
      ) : null}
      <div className="own-actions">
        {inUse ? (
          <span className="own-inuse">The model trains on these images.</span>
        ) : (
          <button type="button" className="primary" disabled={!enough} onClick={onTrain}>
            Train on these images
          </button>
        )}
        {!enough ? <span className="own-warn">At least {OWN_IMAGE_LIMITS.minImages} images are needed (one is held out for testing).</span> : null}
      </div>
    </div>
  );
}

export function OwnImagesPanel({ controller }: { controller: Controller }) {
  const dataset = useStore(controller.store, (s) => s.settings.dataset);
  const state = useStore(controller.images.store, (s) => s);
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  useEffect(() => {
    // the folder picker is not in React's attribute list
    folder.current?.setAttribute('webkitdirectory', '');
  }, []);
  if (dataset !== 'own') return null;
  const importer = controller.images;
  const take = async (found: Promise<Parameters<typeof importer.add>[0]>) => {
    await importer.add(await found);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    e.stopPropagation();
    setOver(false);
    void take(sourcesOfDrop(e.dataTransfer, OWN_IMAGE_LIMITS.maxImages * 2));
  };
  const limits = `PNG or JPEG files, a folder of them or a zip; up to ${N.format(OWN_IMAGE_LIMITS.maxImages)} images, each at most ${OWN_IMAGE_LIMITS.maxFileBytes / 1024 / 1024} MB and ${OWN_IMAGE_LIMITS.maxPixels / 1e6} megapixels.`;
  return (
    <Panel
      title="Your own images"
      className="own-panel"
      caption={
        <>
          Each image is made grey (transparent parts count as white), a light background is made dark (the model learns light strokes on black, like MNIST), and
          the whole picture is fitted into the square, its aspect kept, centred. Sub-folders become the classes (<code>cats/…</code>, <code>dogs/…</code>); a
          tenth of the images (at least one) is held out as the test set. Nothing leaves your machine.
        </>
      }
      tools={
        <label className="own-side">
          Size{' '}
          <select value={state.side} onChange={(e) => void importer.setSide(Number(e.currentTarget.value) as OwnSide)} disabled={state.stage === 'reading'}>
            {OWN_IMAGE_LIMITS.sides.map((s) => (
              <option key={s} value={s}>
                {s}×{s}
              </option>
            ))}
          </select>
        </label>
      }
    >
      <div
        className={`own-drop${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          e.stopPropagation();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        data-testid="own-drop"
      >
        <p>
          <b>Drop images, a folder or a zip here</b>, or{' '}
          <button type="button" onClick={() => files.current?.click()}>
            choose images…
          </button>{' '}
          <button type="button" onClick={() => folder.current?.click()}>
            choose a folder…
          </button>
        </p>
        <p className="own-limits">{limits}</p>
        <input ref={files} type="file" multiple accept="image/png,image/jpeg,.png,.jpg,.jpeg,.zip,application/zip" className="visually-hidden" aria-label="Images to train on" tabIndex={-1} onChange={(e) => void take(sourcesOfFiles(Array.from(e.currentTarget.files ?? [])))} />
        <input ref={folder} type="file" className="visually-hidden" aria-label="Folder of images to train on" tabIndex={-1} onChange={(e) => void take(sourcesOfFiles(Array.from(e.currentTarget.files ?? [])))} />
      </div>
      {state.stage === 'reading' ? (
        <div className="own-progress">
          <span>
            Reading {N.format(state.done)} of {N.format(state.total)} files…
          </span>
          <span className="data-bar" role="progressbar" aria-label="Reading images" aria-valuemin={0} aria-valuemax={100} aria-valuenow={state.total ? Math.round((100 * state.done) / state.total) : 0}>
            <span style={{ width: `${state.total ? (100 * state.done) / state.total : 0}%` }} />
          </span>
        </div>
      ) : null}
      {state.stage === 'ready' && state.summary ? <Summary summary={state.summary} inUse={state.inUse} onTrain={() => controller.useOwnImages()} /> : null}
    </Panel>
  );
}
