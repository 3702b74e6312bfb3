/**
 * Where each of our weights goes in the exported PyTorch model (core/io/pytorchScript.ts writes
 * that model): its state_dict name and its layout. A network declares its layers once; a family
 * with variables of its own (a learned prior, a codebook) declares those. A variable no layer
 * claims makes the export fail loudly rather than ship a model that silently differs.
 *
 * Layouts: our dense weight is [in, out] (x·W), PyTorch's nn.Linear weight is [out, in]; our conv
 * kernels are tfjs's [k, k, in, out] (conv2d) and [k, k, out, in] (conv2dTranspose), PyTorch's
 * [out, in, k, k] (Conv2d) and [in, out, k, k] (ConvTranspose2d). A dense layer fed by (or
 * feeding) a flattened feature map also has its rows (or columns) reordered, because we flatten
 * NHWC as (h, w, c) and PyTorch flattens NCHW as (c, h, w).
 */
import type { FamilyId, NetworkId } from '../models/catalog';
import type { ModelConfig } from '../models/config';
import { CONV_SMALL, CONV_SMALL_WINDOW } from '../models/nets/conv';
import type { NamedWeight } from './weights';

/** A feature map's [height, width, channels] (ours is flattened in that order). */
export type MapShape = [number, number, number];

export type TorchLayer =
  | {
      kind: 'linear';
      /** Our layer's path (its variables are `<ours>/weight` and `<ours>/bias`). */
      ours: string;
      /** The PyTorch module's name in the state_dict (`encoder.hidden`). */
      torch: string;
      /** The first h·w·c inputs are a flattened feature map (any further inputs, e.g. a condition, follow it). */
      inputMap?: MapShape;
      /** The outputs are reshaped into a feature map. */
      outputMap?: MapShape;
    }
  | { kind: 'conv2d' | 'convTranspose2d'; ours: string; torch: string }
  /** A learned tensor of its own (a prior's means, a VampPrior's pseudo-inputs): the variable `ours`, copied as it is. */
  | { kind: 'parameter'; ours: string; torch: string };

/** The layers of each network (the MLP now; a network joins with its entry). */
export const NETWORK_LAYERS: Record<NetworkId, (config: ModelConfig) => TorchLayer[]> = {
  mlp: () => [
    { kind: 'linear', ours: 'encoder/hidden', torch: 'encoder.hidden' },
    { kind: 'linear', ours: 'encoder/head', torch: 'encoder.head' },
    { kind: 'linear', ours: 'decoder/hidden', torch: 'decoder.hidden' },
    { kind: 'linear', ours: 'decoder/output', torch: 'decoder.output' },
  ],
  // conv-small (core/models/nets/conv.ts): the flatten between the convolutions and the dense
  // layers is (h, w, c) here and (c, h, w) in PyTorch
  conv: (config) => {
    const map = convFeatureMap(config);
    return [
      { kind: 'conv2d', ours: 'encoder/conv1', torch: 'encoder.conv1' },
      { kind: 'conv2d', ours: 'encoder/conv2', torch: 'encoder.conv2' },
      { kind: 'linear', ours: 'encoder/hidden', torch: 'encoder.hidden', inputMap: map },
      { kind: 'linear', ours: 'encoder/head', torch: 'encoder.head' },
      { kind: 'linear', ours: 'decoder/hidden', torch: 'decoder.hidden' },
      { kind: 'linear', ours: 'decoder/grid', torch: 'decoder.grid', outputMap: map },
      { kind: 'convTranspose2d', ours: 'decoder/convT1', torch: 'decoder.convT1' },
      { kind: 'convTranspose2d', ours: 'decoder/convT2', torch: 'decoder.convT2' },
    ];
  },
};

/** The conv networks' feature map after the second convolution, [h, w, c]. */
export function convFeatureMap(config: ModelConfig): MapShape {
  const { kernelSize, stride, padding } = CONV_SMALL_WINDOW;
  const next = (side: number) => Math.floor((side + 2 * padding - kernelSize) / stride) + 1;
  return [next(next(config.imageShape.height)), next(next(config.imageShape.width)), CONV_SMALL.channels[1]];
}

/** A learned prior's variables (objective/priors: `prior/…`), as the script's `prior` module holds them. */
export function priorLayers(config: ModelConfig): TorchLayer[] {
  switch (config.options.prior ?? 'standard') {
    case 'mog':
      return [
        { kind: 'parameter', ours: 'prior/means', torch: 'prior.means' },
        { kind: 'parameter', ours: 'prior/logVars', torch: 'prior.log_vars' },
        { kind: 'parameter', ours: 'prior/logits', torch: 'prior.logits' },
      ];
    case 'vamp':
      return [{ kind: 'parameter', ours: 'prior/pseudoInputs', torch: 'prior.pseudo_inputs' }];
    default:
      return [];
  }
}

/**
 * Variables a family adds beyond its networks: the VAE's learned prior; none for the conditional
 * VAE (its condition widens the networks' first layers); M2's classifier q(y|x). The VQ-VAE has no
 * entry (pytorchSupport.ts refuses its export).
 */
export const FAMILY_LAYERS: Partial<Record<FamilyId, (config: ModelConfig) => TorchLayer[]>> = {
  vae: priorLayers,
  cvae: () => [],
  m2: () => [
    { kind: 'linear', ours: 'classifier/hidden', torch: 'classifier.hidden' },
    { kind: 'linear', ours: 'classifier/output', torch: 'classifier.output' },
  ],
  // VAE-GAN has no PyTorch script (pytorchSupport.ts refuses it); its discriminator is not mapped
  vaegan: () => [],
};

export function torchLayers(config: ModelConfig): TorchLayer[] {
  const family = FAMILY_LAYERS[config.family];
  if (!family) throw new Error(`the PyTorch layout has no entry for the family “${config.family}”`);
  return [...NETWORK_LAYERS[config.network](config), ...family(config)];
}

export interface TorchTensor {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** Our position (h, w, c)-major of feature k, as PyTorch's (c, h, w)-major position. */
function hwcToChw(k: number, [h, w, c]: MapShape): number {
  const ch = k % c;
  const x = Math.floor(k / c) % w;
  const y = Math.floor(k / (c * w));
  return ch * h * w + y * w + x;
}

function permutation(size: number, map: MapShape | undefined): (k: number) => number {
  if (!map) return (k) => k;
  const mapped = map[0] * map[1] * map[2];
  if (mapped > size) throw new Error(`a feature map of ${mapped} values does not fit a layer side of ${size}`);
  return (k) => (k < mapped ? hwcToChw(k, map) : k);
}

/** One layer's weight in PyTorch's layout. */
function torchWeight(layer: TorchLayer, w: NamedWeight): TorchTensor {
  const name = `${layer.torch}.weight`;
  if (layer.kind === 'linear') {
    const [inputs, outputs] = w.shape;
    const row = permutation(inputs, layer.inputMap);
    const col = permutation(outputs, layer.outputMap);
    const values = new Float32Array(inputs * outputs);
    // ours [in, out] → PyTorch [out, in], in PyTorch's feature order
    for (let i = 0; i < inputs; i++) for (let o = 0; o < outputs; o++) values[col(o) * inputs + row(i)] = w.values[i * outputs + o];
    return { name, shape: [outputs, inputs], values };
  }
  const [k, k2, a, b] = w.shape;
  if (k !== k2) throw new Error(`${w.path}: only square kernels have a PyTorch layout here`);
  // conv2d: ours [k, k, in, out] → [out, in, k, k];  convTranspose2d: ours [k, k, out, in] → [in, out, k, k]
  const values = new Float32Array(w.values.length);
  for (let ky = 0; ky < k; ky++) {
    for (let kx = 0; kx < k; kx++) {
      for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) values[((j * a + i) * k + ky) * k + kx] = w.values[((ky * k + kx) * a + i) * b + j];
    }
  }
  return { name, shape: [b, a, k, k], values };
}

function torchBias(layer: TorchLayer, b: NamedWeight): TorchTensor {
  const name = `${layer.torch}.bias`;
  if (layer.kind !== 'linear' || !layer.outputMap) return { name, shape: b.shape.slice(), values: b.values.slice() };
  const col = permutation(b.values.length, layer.outputMap);
  const values = new Float32Array(b.values.length);
  b.values.forEach((v, o) => (values[col(o)] = v));
  return { name, shape: b.shape.slice(), values };
}

/**
 * Our weights (or anything shaped like them: Adam's moments) as PyTorch tensors, in the order of
 * the layers. Throws when a weight is left over or missing.
 */
export function toTorch(layers: readonly TorchLayer[], weights: readonly NamedWeight[]): TorchTensor[] {
  const byPath = new Map(weights.map((w) => [w.path, w]));
  const out: TorchTensor[] = [];
  for (const layer of layers) {
    if (layer.kind === 'parameter') {
      const w = byPath.get(layer.ours);
      if (!w) throw new Error(`the PyTorch export expects ${layer.ours}`);
      out.push({ name: layer.torch, shape: w.shape.slice(), values: w.values.slice() });
      byPath.delete(layer.ours);
      continue;
    }
    const kernelPath = `${layer.ours}/${layer.kind === 'linear' ? 'weight' : 'kernel'}`;
    const weight = byPath.get(kernelPath);
    const bias = byPath.get(`${layer.ours}/bias`);
    if (!weight || !bias) throw new Error(`the PyTorch export expects ${kernelPath} and ${layer.ours}/bias`);
    out.push(torchWeight(layer, weight), torchBias(layer, bias));
    byPath.delete(kernelPath);
    byPath.delete(`${layer.ours}/bias`);
  }
  if (byPath.size) throw new Error(`no PyTorch layer takes ${[...byPath.keys()].join(', ')}`);
  return out;
}
