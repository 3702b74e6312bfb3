/**
 * A test image's code grid next to its reconstruction: the discrete analogue of dragging the
 * probe. Click a cell and pick another code (in the list, or in the codebook) and the decoder
 * redraws the image from the edited grid beside the unedited reconstruction.
 */
import { useMemo } from 'react';
import type { Controller } from '../../../state/controller';
import { classColor } from '../../charts/colors';
import { ImageMosaic } from '../../charts/ImageMosaic';
import { mosaicLayout } from '../../charts/mosaic';
import { Panel } from '../../components/Panel';
import { useStore } from '../../hooks/useStore';
import './codes.css';

const IMAGE = 112;
const ONE_TILE = Int32Array.of(0);

interface PictureProps {
  label: string;
  images: Float32Array | Uint8Array | null;
  offset: number;
  imageShape: { width: number; height: number };
  scale: number;
  /** What the frame says while there is no image. */
  empty?: string;
}

function Picture({ label, images, offset, imageShape, scale, empty }: PictureProps) {
  const layout = useMemo(() => mosaicLayout({ rows: 1, cols: 1, image: imageShape, cell: IMAGE }), [imageShape]);
  const pixels = imageShape.width * imageShape.height;
  const image = useMemo(() => (images && images.length >= offset + pixels ? images.subarray(offset, offset + pixels) : null), [images, offset, pixels]);
  return (
    <figure className="code-picture">
      <div className="code-picture-frame">
        {image ? <ImageMosaic images={image} image={imageShape} layout={layout} tiles={ONE_TILE} scale={scale} role="img" aria-label={label} /> : <span className="code-picture-empty">{empty}</span>}
      </div>
      <figcaption>{label}</figcaption>
    </figure>
  );
}

export function CodeGrid({ controller, classNames, imageShape }: { controller: Controller; classNames: readonly string[]; imageShape: { width: number; height: number } }) {
  const report = useStore(controller.store, (s) => s.codes);
  const previewImages = useStore(controller.store, (s) => s.previewImages);
  const tools = useStore(controller.codes.store, (c) => c);
  const codes = controller.codes;
  const grid = tools.edited ?? tools.encoded;
  const [rows, cols] = report?.grid ?? [0, 0];
  const label = report ? report.labels[tools.point] : undefined;
  const pixels = imageShape.width * imageShape.height;
  const selected = tools.selectedCell;
  const edits = tools.edited && tools.encoded ? tools.edited.reduce((n, c, i) => n + (c !== tools.encoded?.[i] ? 1 : 0), 0) : 0;
  return (
    <Panel
      title="Code grid"
      tools={
        <>
          <button type="button" onClick={() => codes.choose()} disabled={!report}>
            Another image
          </button>
          <button type="button" onClick={() => codes.resetEdits()} disabled={!tools.edited}>
            Undo edits
          </button>
        </>
      }
      caption={
        <>
          The encoder turns the test image into a {rows}×{cols} grid of code indices (nearest of K codes at each position); the decoder sees only these. Click a cell, then pick another code: the
          edited grid is decoded beside the reconstruction{edits ? ` (${edits} cell${edits === 1 ? '' : 's'} edited)` : ''}.
        </>
      }
    >
      {report && grid ? (
        <div className="code-grid-panel">
          <Picture label={`Test image${label !== undefined ? ` (${classNames[label] ?? label})` : ''}`} images={previewImages} offset={tools.point * pixels} imageShape={imageShape} scale={255} />
          <div className="code-cells" role="grid" aria-label="Code grid of the test image" style={{ gridTemplateColumns: `repeat(${cols}, 1fr)` }}>
            {/* rows for assistive technology (a grid's cells sit in rows); they take no box of their own */}
            {Array.from({ length: Math.ceil(grid.length / cols) }, (_, row) => (
              <div key={row} role="row" className="code-row">
                {Array.from(grid.subarray(row * cols, (row + 1) * cols), (code, column) => {
                  const cell = row * cols + column;
                  const changed = tools.edited !== null && tools.encoded !== null && code !== tools.encoded[cell];
                  return (
                    <button
                      key={cell}
                      type="button"
                      role="gridcell"
                      aria-selected={cell === selected}
                      aria-label={`Cell ${row + 1}, ${column + 1}: code ${code}`}
                      className={`code-cell${cell === selected ? ' selected' : ''}${changed ? ' changed' : ''}`}
                      onClick={() => codes.selectCell(cell === selected ? null : cell)}
                    >
                      {code}
                    </button>
                  );
                })}
              </div>
            ))}
          </div>
          <Picture label="Reconstruction" images={tools.reconstruction} offset={0} imageShape={imageShape} scale={1} />
          <Picture label="Decoded from the edited grid" images={tools.editedImage} offset={0} imageShape={imageShape} scale={1} empty="Edit a cell" />
          <div className="code-picker">
            {selected !== null ? (
              <label>
                Code for cell {Math.floor(selected / cols) + 1}, {(selected % cols) + 1}{' '}
                <select aria-label="Code for the selected cell" value={grid[selected]} onChange={(e) => codes.setCode(selected, Number(e.currentTarget.value))}>
                  {Array.from({ length: report.codebookSize }, (_, k) => (
                    <option key={k} value={k}>
                      {k}
                    </option>
                  ))}
                </select>
              </label>
            ) : (
              <span>Click a cell of the grid to change its code.</span>
            )}
            <span className="code-picker-class">
              Image of class{' '}
              <select aria-label="Class of the test image" value={label ?? ''} onChange={(e) => codes.chooseClass(Number(e.currentTarget.value))}>
                {classNames.map((name, c) => (
                  <option key={c} value={c} style={{ color: classColor(c) }}>
                    {name}
                  </option>
                ))}
              </select>
            </span>
          </div>
        </div>
      ) : (
        <div className="panel-empty">The code grid appears after the first report.</div>
      )}
    </Panel>
  );
}
