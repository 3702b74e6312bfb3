/**
 * Model files in the worker (the format is core/io/modelFile.ts): writing the model in training
 * as one — its configuration, training settings, weights, every optimiser's moments and step,
 * the noise stream and the batch order — and reading one back into a model that goes on exactly
 * where it stopped. Reading checks everything before anything is replaced: the file's soundness,
 * its settings against the catalog, its tensors against a model built from its configuration.
 * Every refusal is an Error whose message is meant for the user.
 */
import { FAMILIES } from '../core/models/catalog';
import type { ModelConfig } from '../core/models/config';
import { readModelFile, writeModelFile, type ModelFileHeader } from '../core/io/modelFile';
import { decodeModelTensors, encodeModelTensors } from '../core/io/modelTensors';
import type { ResolvedTrainingConfig } from '../core/training/config';
import { disposeTrainerSnapshot } from '../core/training/trainerState';
import { DATASET_IDS, DATASETS } from '../data/catalog';
import type { Dataset, DatasetId, ImageShape } from '../data/dataset';
import { Batcher, isRngState } from '../data/rng';
import { epochPosition, restoreLiveModel, type LiveModel } from './liveModel';
import { checkModel, checkTraining, type DataSummary } from './protocol';

export interface ModelFileRequest {
  name: string;
  savedAt: string;
  page: Record<string, unknown>;
}

/** The model in training as the bytes of a model file. */
export async function writeLiveModel(model: LiveModel, data: DataSummary, request: ModelFileRequest): Promise<Uint8Array> {
  // one synchronous capture: a training step cannot fall between the weights and the moments
  const snapshot = model.trainer.captureState();
  const batcher = model.batcher.saveState();
  const position = epochPosition(model);
  const { trainer } = model;
  try {
    const { data: tensors, specs } = await encodeModelTensors(snapshot, batcher.order);
    return writeModelFile(
      {
        app: 'VAE Playground',
        name: request.name,
        savedAt: request.savedAt,
        model: { ...trainer.modelConfig, imageShape: { ...trainer.modelConfig.imageShape }, options: { ...trainer.modelConfig.options } },
        training: { ...trainer.config },
        data: { id: data.datasetId, name: data.name, trainCount: data.trainCount, shape: { ...data.shape }, classNames: [...data.classNames] },
        progress: { step: snapshot.step, epoch: position.epoch, epochProgress: position.epochProgress },
        trainer: { step: snapshot.step, noise: snapshot.noise, optimizers: snapshot.optimizers.map((o) => ({ group: o.group, step: o.step })) },
        batcher: { ...batcher.state, epochOffset: model.epochOffset },
        weights: specs,
        page: request.page,
      },
      tensors,
    );
  } finally {
    disposeTrainerSnapshot(snapshot);
  }
}

/** What a model needs of its data set: the image shape and the number of classes. */
export interface DataNeeds {
  shape: ImageShape;
  classCount: number;
}

/** A model file read and rebuilt, not yet in training: the caller swaps it in or disposes it. */
export interface LoadedModel {
  header: ModelFileHeader;
  datasetId: DatasetId;
  live: LiveModel;
}

function isDatasetId(id: string): id is DatasetId {
  return (DATASET_IDS as string[]).includes(id);
}

/**
 * Read a model file and build the model it describes with its saved state. `dataFor` says what
 * the file's data set offers (image shape, classes) or why it is not available. Throws with a
 * message for the user; on a throw nothing is left allocated.
 */
export function readLiveModel(file: Uint8Array, dataFor: (id: DatasetId) => DataNeeds | string): LoadedModel {
  const read = readModelFile(file);
  if (!read.ok) throw new Error(read.message);
  const { header, data } = read;
  const modelProblem = checkModel(header.model);
  if (modelProblem) throw new Error(`The file's model settings are not valid here: ${modelProblem}.`);
  const config = header.model as unknown as ModelConfig;
  const family = FAMILIES[config.family];
  const trainingProblem = checkTraining(header.training, false, family);
  if (trainingProblem) throw new Error(`The file's training settings are not valid here: ${trainingProblem}.`);
  const training = header.training as unknown as ResolvedTrainingConfig;
  if (!isDatasetId(header.data.id)) throw new Error(`The file's model was trained on a data set “${header.data.name}” this page does not have.`);
  const datasetId = header.data.id;
  const needs = dataFor(datasetId);
  if (typeof needs === 'string') throw new Error(needs);
  const { width, height, channels } = config.imageShape;
  if (width !== needs.shape.width || height !== needs.shape.height || channels !== needs.shape.channels) {
    throw new Error(`The file's model is for ${width}×${height}×${channels} images, but ${header.data.name} here has ${needs.shape.width}×${needs.shape.height}×${needs.shape.channels}.`);
  }
  if (config.classCount !== needs.classCount) throw new Error(`The file's model is for ${config.classCount} classes, but ${header.data.name} here has ${needs.classCount}.`);
  if (header.trainer.noise !== null && !isRngState(header.trainer.noise)) throw new Error('The file is damaged: its noise stream state is malformed.');
  const batcher = header.batcher;
  if (batcher !== null && !isRngState(batcher.rng)) throw new Error('The file is damaged: its batch order state is malformed.');

  let tensors: ReturnType<typeof decodeModelTensors>;
  try {
    tensors = decodeModelTensors(data, header.weights, header.trainer.optimizers);
  } catch (error) {
    throw new Error(`The file is damaged: ${error instanceof Error ? error.message : String(error)}.`);
  }
  const state = { ...tensors.state, step: header.trainer.step, noise: header.trainer.noise };
  const savedBatcher =
    batcher && tensors.batchOrder
      ? { state: { count: batcher.count, batchSize: batcher.batchSize, epoch: batcher.epoch, position: batcher.position, rng: batcher.rng }, order: tensors.batchOrder, epochOffset: batcher.epochOffset }
      : null;
  try {
    // a loaded run trains on every training row (a held-out class is not part of the file)
    const rows = { labels: new Uint8Array(header.data.trainCount), holdOutClass: null };
    const live = restoreLiveModel(config, training, rows, { trainer: state, batcher: savedBatcher, epoch: header.progress.epoch });
    return { header, datasetId, live };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`The file does not hold a ${family.label} of its own settings: ${why.replace(/^the saved (state|weights) do(es)? not fit this model: /, '')}.`);
  }
}

/** A loaded model's batch order, for a data set of `count` training images: a set that changed size since the save starts a new order. */
export function fitBatchOrder(live: LiveModel, count: number): LiveModel {
  if (live.batcher.count === count) return live;
  live.batcher = new Batcher(count, live.trainer.config.batchSize, live.trainer.modelConfig.seed + 1 + live.trainer.step);
  return live;
}

/** What a data set offers a model (shape and classes), or why it cannot be had: your own images, the one resident, or the catalogue's. */
export function dataNeedsOf(id: DatasetId, own: Dataset | null, resident: Dataset | null): DataNeeds | string {
  if (id === 'own') {
    return own ? { shape: own.shape, classCount: own.classNames.length } : 'The model was trained on your own images: choose them under Dataset → “Your own images” first, then load the model again.';
  }
  if (resident?.id === id) return { shape: resident.shape, classCount: resident.classNames.length };
  const info = DATASETS[id];
  return { shape: info.shape, classCount: info.classCount };
}
