/** The CSV downloads: the loss history (both splits, every declared term, markers) and the latent codes of the test set. */
import { describe, expect, it } from 'vitest';
import { KL_TERM, RECONSTRUCTION_TERM } from '../../src/core/models/catalog';
import { latentCodesCsv, lossHistoryCsv } from '../../src/state/exports/csv';
import { rasterMosaic } from '../../src/ui/figures/rasterMosaic';

describe('the loss history as CSV', () => {
  it('has one row per point, both splits in step order, the terms as declared, the markers as comments', () => {
    const csv = lossHistoryCsv(
      {
        train: [
          { step: 20, values: { reconstruction: 200.5, kl: 3.25, negativeElbo: 203.75 }, beta: 1 },
          { step: 40, values: { reconstruction: 150, kl: 4, negativeElbo: 154 }, beta: 0.5, capacity: 2 },
        ],
        test: [{ step: 40, values: { reconstruction: 160, kl: Number.NaN, negativeElbo: 164 }, beta: 1 }],
        markers: [{ step: 30, kind: 'beta', label: 'β=0.5' }],
      },
      [RECONSTRUCTION_TERM, KL_TERM],
    );
    const lines = csv.trim().split('\n');
    expect(lines[0]).toMatch(/^# loss history, nats per example/);
    expect(lines[1]).toBe('# marker at step 30: beta β=0.5');
    expect(lines.slice(2)).toEqual(['step,split,reconstruction,kl,negative_elbo,kl_weight,capacity', '20,train,200.5,3.25,203.75,1,', '40,test,160,,164,1,', '40,train,150,4,154,0.5,2']);
  });
});

describe('the latent codes as CSV', () => {
  it('has one row per test image with its class, means and log-variances, quoting names that need it', () => {
    const csv = latentCodesCsv({ step: 9, count: 2, latentDim: 2, mu: new Float32Array([0.5, -1, 2, 0.25]), logVar: new Float32Array([-1, -2, -3, -4]), labels: new Uint8Array([1, 0]), classNames: ['T-shirt/top', 'a, b'] });
    expect(csv.trim().split('\n')).toEqual(['# posterior q(z|x) = N(mu, diag exp(logvar)) of each of the 2 test images at step 9', 'index,label,class,mu_1,mu_2,logvar_1,logvar_2', '0,1,"a, b",0.5,-1,-1,-2', '1,0,T-shirt/top,2,0.25,-3,-4']);
  });
});

describe('the image mosaic', () => {
  it('lays images out at full resolution, bytes or floats, with gaps', () => {
    const r = rasterMosaic(new Uint8Array([0, 255, 255, 0, 128, 128, 128, 128]), 2, 2, 2, 2, { gap: 1, gapColour: [9, 9, 9] });
    expect([r.width, r.height]).toEqual([5, 2]);
    const px = (x: number, y: number) => r.data[(y * 5 + x) * 4];
    expect([px(0, 0), px(1, 0), px(2, 0), px(3, 0), px(4, 1)]).toEqual([0, 255, 9, 128, 128]);
    const f = rasterMosaic(new Float32Array([0.5, Number.NaN, 2, -1]), 1, 2, 2, 1, { scale: 2 });
    expect([f.width, f.height]).toEqual([4, 4]);
    expect([f.data[0], f.data[4 * 2], f.data[4 * 8], f.data[4 * 15]]).toEqual([128, 0, 255, 0]);
  });
});
