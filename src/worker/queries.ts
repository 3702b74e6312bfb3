/**
 * The commands that ask the model in training something (encode, decode, evaluate, the tools of a
 * trained model, the exports, a discrete latent's code grids and priors over codes, the step profile) and answer with one event; the background jobs among them run beside
 * the queue (jobs.ts). The session (session.ts) hands them the model, its data and its helpers.
 * The tools a user opens now and then (interpolation, inspection, the worked example, the IWAE
 * bound, the PyTorch export) are imported when first asked for: the worker starts without them.
 */
import { scoreSamples, type QualityClassifiers } from './analysis/sampleQuality';
import { scoreSets, setScoresTransfer, type OtherData } from './analysis/scoring';
import { fitCodePriors, sampleCodes } from './codes/codePriors';
import type { BackgroundJobs } from './jobs';
import type { LiveModel } from './liveModel';
import { writeLiveModel } from './modelFiles';
import type { WorkerCommand, WorkerEvent } from './protocol';
import type { Reporter } from './reports';
import type { ResidentData } from './residentData';
import { decodeLatents } from './decoding';
import { profileSteps } from './stepProfile';

/** The commands answerQuery answers. */
const QUERY_TYPES = [
  'encode',
  'decode',
  'evaluate',
  'interpolate',
  'inspect',
  'explain',
  'scoreSets',
  'estimateBound',
  'scoreSamples',
  'exportModel',
  'exportPytorch',
  'encodeTestSet',
  'decodeCodes',
  'fitCodePriors',
  'sampleCodes',
  'profileSteps',
] as const;

export type QueryCommand = Extract<WorkerCommand, { type: (typeof QUERY_TYPES)[number] }>;

export function isQueryCommand(command: WorkerCommand): command is QueryCommand {
  return (QUERY_TYPES as readonly string[]).includes(command.type);
}

/** What a query needs of the session. */
export interface QueryContext {
  model: LiveModel;
  data: ResidentData;
  reporter: Reporter;
  jobs: BackgroundJobs;
  otherData: OtherData;
  classifiers: QualityClassifiers;
  post(event: WorkerEvent, transfer?: Transferable[]): void;
  now(): number;
  yieldToEventLoop(): Promise<void>;
  /** The model is still the one in training (a job for a replaced model stops). */
  isCurrent(model: LiveModel): boolean;
  /** Training is running (the loop steps between commands). */
  running: boolean;
  /** One training step of the model in training, as the loop takes it. */
  trainStep(): void;
}

/** Answer a query about the model in training (a background job's answer comes when it ends). */
export async function answerQuery(command: QueryCommand, ctx: QueryContext): Promise<void> {
  switch (command.type) {
    case 'encode': {
      const { trainer } = ctx.model;
      const { mu, logVar } = await trainer.encode(command.images, command.count);
      ctx.post({ type: 'encoded', requestId: command.requestId, count: command.count, mu, logVar }, [mu.buffer, logVar.buffer]);
      return;
    }
    case 'decode':
      // an autoregressive decoder draws pixel after pixel: progress and messages between slices
      return decodeLatents(ctx.model.trainer, command, ctx);
    case 'evaluate': {
      const model = ctx.model;
      const test = await ctx.reporter.evaluate(model, ctx.data);
      ctx.post({ type: 'evaluation', step: model.trainer.step, test, requestId: command.requestId });
      return;
    }
    case 'interpolate': {
      const { interpolate } = await import('./analysis/interpolation');
      const event = await interpolate(ctx.model, command, ctx.data.pixels);
      ctx.post(event, [event.ends.buffer, event.latents.buffer, event.images.buffer]);
      return;
    }
    case 'inspect': {
      const { inspect } = await import('./analysis/inspection');
      const event = await inspect(ctx.model, command, ctx.data.pixels);
      const buffers = [event.mu, event.logVar, event.reconstructions, event.sampleImages, event.negativeElbo, ...Object.values(event.terms)].map((a) => a.buffer);
      ctx.post(event, [...new Set(buffers)]);
      return;
    }
    case 'explain': {
      const { explain } = await import('./analysis/explanation');
      const event = await explain(ctx.model, command, ctx.data.pixels);
      const { example } = event;
      const arrays = [event.image, example.mu, example.logVar, example.sigma, example.epsilon, example.z, example.klPerDim, example.gradZ, example.gradMu, example.gradLogVar, example.reconstructionImage];
      ctx.post(event, [...new Set(arrays.map((a) => a.buffer))]);
      return;
    }
    case 'scoreSets': {
      const model = ctx.model;
      const data = ctx.data;
      return ctx.jobs.start(command.requestId, 'scoreSets', () => ctx.isCurrent(model), async (context) => {
        const event = await scoreSets(model, data, command, context, ctx.otherData);
        ctx.post(event, setScoresTransfer(event));
      });
    }
    case 'estimateBound': {
      const model = ctx.model;
      const data = ctx.data;
      if (model.trainer.model.latent.kind !== 'gaussian') throw new Error('the importance-weighted bound needs a Gaussian latent');
      return ctx.jobs.start(command.requestId, 'estimateBound', () => ctx.isCurrent(model), async (context) => {
        const { estimateBound } = await import('./analysis/bound');
        ctx.post(await estimateBound(model, data, command, context, ctx.now));
      });
    }
    case 'scoreSamples': {
      const model = ctx.model;
      const data = ctx.data;
      return ctx.jobs.start(command.requestId, 'scoreSamples', () => ctx.isCurrent(model), async (context) => {
        ctx.post(await scoreSamples(model, data, command, context, ctx.classifiers, ctx.now));
      });
    }
    case 'exportModel': {
      const model = ctx.model;
      const file = await writeLiveModel(model, ctx.data.summary, command);
      ctx.post({ type: 'modelExported', requestId: command.requestId, file, step: model.trainer.step }, [file.buffer]);
      return;
    }
    case 'exportPytorch': {
      const model = ctx.model;
      const { exportForPytorch } = await import('./pytorchExport');
      const file = await exportForPytorch(model, ctx.data.dataset.name, command.savedAt);
      ctx.post({ type: 'pytorchExported', requestId: command.requestId, file, step: model.trainer.step }, [file.buffer]);
      return;
    }
    case 'encodeTestSet': {
      const model = ctx.model;
      const data = ctx.data;
      const step = model.trainer.step;
      const { mu, logVar } = await ctx.reporter.encodeTestSet(model, data);
      const labels = data.dataset.test.labels.slice();
      const { latentDim } = model.trainer.modelConfig;
      ctx.post({ type: 'testCodes', requestId: command.requestId, step, count: data.dataset.test.count, latentDim, mu, logVar, labels }, [mu.buffer, logVar.buffer, labels.buffer]);
      return;
    }
    case 'decodeCodes': {
      const images = await ctx.model.trainer.decodeCodes(command.codes, command.count);
      ctx.post({ type: 'decoded', requestId: command.requestId, count: command.count, images }, [images.buffer]);
      return;
    }
    case 'fitCodePriors': {
      const model = ctx.model;
      const data = ctx.data;
      if (model.trainer.model.latent.kind !== 'discrete') throw new Error('priors over codes need a discrete latent');
      return ctx.jobs.start(command.requestId, 'fitCodePriors', () => ctx.isCurrent(model), async (context) => {
        ctx.post(await fitCodePriors(model, data, command, context, ctx.now));
      });
    }
    case 'sampleCodes': {
      const event = await sampleCodes(ctx.model, command);
      ctx.post(event, [event.codes.buffer, event.images.buffer]);
      return;
    }
    case 'profileSteps': {
      // the loop's own steps would be timed with the profiled ones
      if (ctx.running) throw new Error('pause training before profiling steps');
      const profile = await profileSteps(() => ctx.trainStep(), command.steps, ctx.now);
      ctx.post({ type: 'stepProfile', requestId: command.requestId, ...profile });
      return;
    }
  }
}
