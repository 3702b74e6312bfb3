/**
 * "Export for PyTorch" in the worker: the model in training read off the device in one
 * synchronous capture, handed to the pure export (core/io/pytorchExport.ts) and zipped.
 */
import { pytorchExportEntries } from '../core/io/pytorchExport';
import type { NamedWeight } from '../core/io/weights';
import { writeZip } from '../core/io/zipWriter';
import { disposeTrainerSnapshot, type NamedTensor } from '../core/training/trainerState';
import type { LiveModel } from './liveModel';

async function read(list: readonly NamedTensor[]): Promise<NamedWeight[]> {
  return Promise.all(list.map(async ({ path, tensor }) => ({ path, shape: tensor.shape.slice(), values: Float32Array.from((await tensor.data()) as Float32Array) })));
}

/** The zip of the export: model.safetensors, vae_model.py and README.txt. */
export async function exportForPytorch(model: LiveModel, dataName: string, savedAt: string): Promise<Uint8Array> {
  const snapshot = model.trainer.captureState();
  try {
    const weights = await read(snapshot.weights);
    const firstMoments = (await Promise.all(snapshot.optimizers.map((o) => read(o.firstMoments)))).flat();
    const secondMoments = (await Promise.all(snapshot.optimizers.map((o) => read(o.secondMoments)))).flat();
    // one optimiser per weight group; their steps agree unless a family steps its groups unevenly
    const adamStep = Math.max(0, ...snapshot.optimizers.map((o) => o.step));
    const entries = pytorchExportEntries({ config: model.trainer.modelConfig, training: model.trainer.config, step: snapshot.step, adamStep, weights, firstMoments, secondMoments, dataName, savedAt });
    return writeZip(entries, new Date(savedAt));
  } finally {
    disposeTrainerSnapshot(snapshot);
  }
}
