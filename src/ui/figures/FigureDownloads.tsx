/**
 * The figures to download, as small buttons in the panels' title bars: the decoder grid as a PNG
 * at the images' own resolution, the latent scatter as a PNG and the test set's latent codes as
 * CSV, the loss curves as a PNG and their history as CSV. The pictures are drawn from the data
 * (lossFigure.ts, scatterFigure.ts, mosaic.ts), not copied off the panels.
 */
import { useState } from 'react';
import type { Controller } from '../../state/controller';
import { latentCodesCsv, lossHistoryCsv } from '../../state/exports/csv';
import { defaultModelName, fileStem, runTitle } from '../../state/storage/keeper';
import { useStore } from '../hooks/useStore';
import { downloadBytes } from '../keep/download';
import { canvasPng, rasterPng } from './canvas';
import { drawLossFigure } from './lossFigure';
import { rasterMosaic } from './rasterMosaic';
import { drawScatterFigure, type ScatterFigureInput } from './scatterFigure';

/** The figure's file name: the model's name and what it shows ("vae-on-mnist-step-300-loss.png"). */
function fileName(controller: Controller, what: string, extension: string): string {
  return `${fileStem(defaultModelName(controller.store.get()))}-${what}.${extension}`;
}

async function drawnPng(width: number, height: number, draw: (ctx: CanvasRenderingContext2D) => void): Promise<Blob> {
  const scale = 2; // print resolution
  const canvas = document.createElement('canvas');
  canvas.width = width * scale;
  canvas.height = height * scale;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2-D canvas');
  ctx.scale(scale, scale);
  draw(ctx);
  return canvasPng(canvas);
}

function useBusy(): [boolean, (job: () => Promise<void>) => void] {
  const [busy, setBusy] = useState(false);
  return [
    busy,
    (job) => {
      setBusy(true);
      void job().finally(() => setBusy(false));
    },
  ];
}

/** The decoder grid at full resolution: one image pixel per PNG pixel, no gaps on the 2-D grid. */
export function GridDownload({ controller, manifold, columns }: { controller: Controller; manifold: boolean; columns: number }) {
  const grid = useStore(controller.view, (v) => v.grid);
  const shape = useStore(controller.store, (s) => s.data.summary?.shape ?? null);
  const [busy, run] = useBusy();
  const save = () =>
    run(async () => {
      if (!grid || !shape) return;
      const raster = rasterMosaic(grid.images, grid.count, shape.width, shape.height, columns, { gap: manifold ? 0 : 1, gapColour: [14, 18, 27] });
      downloadBytes(await rasterPng(raster), fileName(controller, `decoder-grid-step-${grid.step}`, 'png'), 'image/png');
    });
  return (
    <button type="button" disabled={!grid || !shape || busy} onClick={save} title="Download the decoder grid as a PNG at the images' own resolution" aria-label="Download the decoder grid as PNG">
      PNG
    </button>
  );
}

/** The latent scatter as a PNG, and the latent codes of the whole test set as CSV. */
export function ScatterDownloads({ controller, axes }: { controller: Controller; axes: ScatterFigureInput['axes'] }) {
  const latents = useStore(controller.store, (s) => s.latents);
  const classNames = useStore(controller.store, (s) => s.data.summary?.classNames ?? null);
  const ready = useStore(controller.store, (s) => s.model !== null);
  const [busy, run] = useBusy();
  const png = () =>
    run(async () => {
      if (!latents || !classNames) return;
      const title = `Latent space: ${runTitle(controller.store.get())}`;
      const blob = await drawnPng(900, 960, (ctx) => drawScatterFigure(ctx, { latents, axes, classNames, title }));
      downloadBytes(blob, fileName(controller, `latent-space-step-${latents.step}`, 'png'), 'image/png');
    });
  const csv = () =>
    run(async () => {
      const codes = await controller.testSetCodes();
      if (!codes) return;
      downloadBytes(latentCodesCsv(codes), fileName(controller, `latent-codes-step-${codes.step}`, 'csv'), 'text/csv');
    });
  return (
    <>
      <button type="button" disabled={!latents || !classNames || busy} onClick={png} title="Download the latent space as a PNG" aria-label="Download the latent space as PNG">
        PNG
      </button>
      <button type="button" disabled={!ready || busy} onClick={csv} title="Download the posterior mean and log-variance of every test image as CSV" aria-label="Download the latent codes of the test set as CSV">
        CSV
      </button>
    </>
  );
}

/** The loss curves as a PNG, and their history as CSV. */
export function LossDownloads({ controller }: { controller: Controller }) {
  const history = useStore(controller.store, (s) => s.history);
  const terms = useStore(controller.store, (s) => s.model?.terms ?? null);
  const [busy, run] = useBusy();
  const empty = !terms || history.train.length + history.test.length === 0;
  const png = () =>
    run(async () => {
      if (!terms) return;
      const title = `Loss curves: ${runTitle(controller.store.get())}`;
      downloadBytes(await drawnPng(1200, 640, (ctx) => drawLossFigure(ctx, { history, terms, title })), fileName(controller, 'loss', 'png'), 'image/png');
    });
  const csv = () => {
    if (terms) downloadBytes(lossHistoryCsv(history, terms), fileName(controller, 'loss-history', 'csv'), 'text/csv');
  };
  return (
    <>
      <button type="button" disabled={empty || busy} onClick={png} title="Download the loss curves as a PNG" aria-label="Download the loss curves as PNG">
        PNG
      </button>
      <button type="button" disabled={empty} onClick={csv} title="Download the loss history as CSV" aria-label="Download the loss history as CSV">
        CSV
      </button>
    </>
  );
}
