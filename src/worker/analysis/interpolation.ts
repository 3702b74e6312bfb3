/**
 * The interpolation command: the two ends (an image's end is its posterior mean, encoded now),
 * the path between them (core/analysis/interpolation.ts) and its decodings, all with the same
 * weights, so the ends decode to the images' reconstructions at the step reported.
 */
import { interpolationPath } from '../../core/analysis/interpolation';
import type { LiveModel } from '../liveModel';
import type { WorkerCommand, WorkerEventOf } from '../protocol';

type InterpolateCommand = Extract<WorkerCommand, { type: 'interpolate' }>;

/** A training step between the encode and the decode (possible on WebGL) means trying again. */
const ATTEMPTS = 3;

export async function interpolate(model: LiveModel, command: InterpolateCommand, pixels: number): Promise<WorkerEventOf<'interpolated'>> {
  const { trainer } = model;
  if (model.usesLabels) throw new Error('interpolation between images is not available for a model that needs their labels');
  const d = trainer.modelConfig.latentDim;
  command.ends.forEach((end, i) => {
    if ('z' in end && end.z.length !== d) throw new Error(`ends[${i}].z has ${end.z.length} values, the latent has ${d} dimensions`);
    if ('image' in end && end.image.length !== pixels) throw new Error(`ends[${i}].image has ${end.image.length} pixels, the model takes ${pixels}`);
  });
  const images = command.ends.flatMap((end) => ('image' in end ? [end.image] : []));
  const stacked = new Float32Array(images.length * pixels);
  images.forEach((image, k) => stacked.set(image, k * pixels));
  for (let attempt = 1; ; attempt++) {
    const step = trainer.step;
    const mu = images.length ? (await trainer.encode(stacked, images.length)).mu : new Float32Array(0);
    let next = 0;
    const ends = command.ends.map((end) => ('z' in end ? Float32Array.from(end.z) : mu.slice(d * next, d * ++next)));
    const latents = interpolationPath(ends[0], ends[1], command.steps, command.path);
    const decoded = await trainer.decode(latents, command.steps);
    if (trainer.step === step || attempt === ATTEMPTS) {
      const both = new Float32Array(2 * d);
      both.set(ends[0], 0);
      both.set(ends[1], d);
      return { type: 'interpolated', requestId: command.requestId, step: trainer.step, ends: both, latents, images: decoded };
    }
  }
}
