/**
 * The page's side of a discrete latent: where the codebook view puts each code (PCA, sized by
 * use, coloured by class), the code grid's edits decoded through the worker (the edited grid next
 * to the unedited one, stale replies dropped), the perplexity in the history, and Export for
 * PyTorch refusing the VQ-VAE with a reason.
 */
import { describe, expect, it } from 'vitest';
import { pytorchExportEntries } from '../../src/core/io/pytorchExport';
import { pytorchExportProblem } from '../../src/core/io/pytorchSupport';
import { initialState, type AppState, type CodesReport } from '../../src/state/appState';
import { CodeTools } from '../../src/state/codes/codeTools';
import { CODES_IN_USE_ID, PERPLEXITY_ID, pointValues } from '../../src/state/history';
import { defaultSettings } from '../../src/state/settings';
import { Store } from '../../src/state/store';
import { codeAt, codebookMarks } from '../../src/ui/panels/codes/codebookLayout';
import { TrainingClient, type WorkerPort } from '../../src/worker/client';
import type { WorkerEvent } from '../../src/worker/protocol';

class FakeWorker implements WorkerPort {
  sent: { type: string; requestId?: number; codes?: Int32Array; count?: number }[] = [];
  private listeners: ((e: MessageEvent) => void)[] = [];
  postMessage(message: unknown): void {
    this.sent.push(message as FakeWorker['sent'][number]);
  }
  addEventListener(type: string, listener: (e: never) => void): void {
    if (type === 'message') this.listeners.push(listener as (e: MessageEvent) => void);
  }
  terminate(): void {}
  emit(event: WorkerEvent): void {
    for (const l of this.listeners) l({ data: event } as MessageEvent);
  }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Two test images on a 2×2 grid of K = 4 codes of D = 2. */
function report(): CodesReport {
  return {
    step: 10,
    count: 2,
    grid: [2, 2],
    codebookSize: 4,
    codeDim: 2,
    codes: Uint16Array.from([0, 0, 0, 1, 2, 2, 0, 0]),
    labels: Uint8Array.from([1, 0]),
    indices: Int32Array.from([5, 9]),
    codebook: Float32Array.from([0, 0, 1, 0, 0, 1, 5, 5]),
  };
}

describe('the codebook view', () => {
  it('sizes each code by its use, colours it by its most frequent class, and finds it under the pointer', () => {
    const marks = codebookMarks(report(), 2, 200);
    expect(marks).toHaveLength(4);
    // code 0 takes 5 of 8 positions, code 2 two, code 1 one, code 3 none
    expect(marks.map((m) => m.share)).toEqual([5 / 8, 1 / 8, 2 / 8, 0]);
    expect(marks[0].radius).toBeGreaterThan(marks[2].radius);
    expect(marks[2].radius).toBeGreaterThan(marks[1].radius);
    expect(marks[1].radius).toBeGreaterThan(marks[3].radius);
    // code 0: three positions of image 0 (class 1), two of image 1 (class 0); code 2 only class 0; code 3 unused
    expect(marks.map((m) => m.topClass)).toEqual([1, 1, 0, -1]);
    // the far code (5, 5) lies at one end of the first principal component, away from the rest
    const far = marks[3];
    for (const m of marks.slice(0, 3)) expect(Math.hypot(m.x - far.x, m.y - far.y)).toBeGreaterThan(60);
    for (const m of marks) {
      expect(m.x).toBeGreaterThanOrEqual(0);
      expect(m.x).toBeLessThanOrEqual(200);
      expect(codeAt(marks, m.x, m.y)).toBe(m.code);
    }
    expect(codeAt(marks, -50, -50)).toBeNull();
  });
});

describe('the code grid and its edits', () => {
  function setup() {
    const worker = new FakeWorker();
    const client = new TrainingClient(worker);
    let generation = 1;
    const store = new Store<AppState>({ ...initialState(defaultSettings()), codes: report() });
    const errors: string[] = [];
    const tools = new CodeTools({ client: () => client, generation: () => generation, store, onError: (t) => errors.push(t) });
    return { worker, tools, errors, bump: () => (generation += 1) };
  }

  it('decodes the chosen image’s grid, then the edited grid beside it, and undoes the edits', async () => {
    const { worker, tools, errors } = setup();
    tools.onCodes();
    expect(Array.from(tools.store.get().encoded ?? [])).toEqual([0, 0, 0, 1]);
    const first = worker.sent.at(-1);
    expect(first?.type).toBe('decodeCodes');
    expect(first?.count).toBe(1);
    expect(Array.from(first?.codes ?? [])).toEqual([0, 0, 0, 1]);
    worker.emit({ type: 'decoded', requestId: first?.requestId as number, count: 1, images: Float32Array.from([0.1, 0.2]) });
    await flush();
    expect(Array.from(tools.store.get().reconstruction ?? [])).toEqual([Math.fround(0.1), Math.fround(0.2)]);
    expect(tools.store.get().editedImage).toBeNull();

    tools.selectCell(3);
    tools.setCode(3, 2);
    expect(Array.from(tools.store.get().edited ?? [])).toEqual([0, 0, 0, 2]);
    const second = worker.sent.at(-1);
    expect(second?.count).toBe(2);
    expect(Array.from(second?.codes ?? [])).toEqual([0, 0, 0, 1, 0, 0, 0, 2]);
    worker.emit({ type: 'decoded', requestId: second?.requestId as number, count: 2, images: Float32Array.from([0.1, 0.2, 0.9, 0.8]) });
    await flush();
    expect(Array.from(tools.store.get().editedImage ?? [])).toEqual([Math.fround(0.9), Math.fround(0.8)]);
    // out-of-range codes and cells change nothing
    tools.setCode(3, 4);
    tools.setCode(7, 1);
    expect(Array.from(tools.store.get().edited ?? [])).toEqual([0, 0, 0, 2]);
    // setting the encoder's own code back is no edit at all
    tools.setCode(3, 1);
    expect(tools.store.get().edited).toBeNull();
    tools.setCode(0, 3);
    tools.resetEdits();
    expect(tools.store.get().edited).toBeNull();
    expect(tools.store.get().editedImage).toBeNull();
    expect(errors).toEqual([]);
  });

  it('chooses an image of a class, and drops a decoding that arrives for an older model', async () => {
    const { worker, tools, bump } = setup();
    tools.onCodes();
    tools.chooseClass(0);
    expect(tools.store.get().point).toBe(1);
    expect(Array.from(tools.store.get().encoded ?? [])).toEqual([2, 2, 0, 0]);
    const pending = worker.sent.filter((m) => m.type === 'decodeCodes');
    bump();
    tools.onNewModel();
    for (const m of pending) worker.emit({ type: 'decoded', requestId: m.requestId as number, count: m.count as number, images: new Float32Array(2 * (m.count as number)).fill(0.5) });
    await flush();
    await flush();
    expect(tools.store.get().reconstruction).toBeNull();
  });
});

describe('the history of a discrete latent', () => {
  it('keeps the perplexity and the codes in use of each report beside the terms', () => {
    const values = pointValues({ terms: { reconstruction: 80 }, negativeElbo: 270, codeUsage: [0.5, 0.5, 0, 0] });
    expect(values[PERPLEXITY_ID]).toBeCloseTo(2, 12);
    expect(values[CODES_IN_USE_ID]).toBe(2);
    expect(pointValues({ terms: { reconstruction: 80 }, negativeElbo: 100 })[PERPLEXITY_ID]).toBeUndefined();
  });
});

describe('Export for PyTorch', () => {
  it('refuses the VQ-VAE with a reason and takes the VAE', () => {
    expect(pytorchExportProblem({ family: 'vae' })).toBeNull();
    const problem = pytorchExportProblem({ family: 'vqvae' });
    expect(problem).toMatch(/does not cover the VQ-VAE/);
    const config = { family: 'vqvae', network: 'conv', imageShape: { width: 28, height: 28, channels: 1 }, classCount: 10, hiddenDim: 400, latentDim: 20, likelihood: 'bernoulli', seed: 1, options: {} } as const;
    expect(() =>
      pytorchExportEntries({ config, training: {} as never, step: 0, adamStep: 0, weights: [], firstMoments: [], secondMoments: [], dataName: 'MNIST', savedAt: '2026-12-01T00:00:00Z' }),
    ).toThrow(problem as string);
  });
});
