/**
 * The Python script of a PyTorch export: a self-contained file that defines the same network as
 * the browser's (layer names and sizes as torchLayout.ts maps them), the family's loss and the
 * KL schedule, loads the weights and Adam's state from the .safetensors file (with the
 * `safetensors` package if installed, else a few lines of numpy), and can continue training,
 * sample from the prior or just check itself. Pure: it returns text.
 *
 * A network joins with its entry in NETWORK_PY (pytorchNetworksPy.ts; its layers in torchLayout.ts);
 * a family with its entry in FAMILY_PY (the Gaussian families' code in pytorchGaussianPy.ts).
 */
import { FAMILIES, NETWORKS, type FamilyId } from '../models/catalog';
import { inputSize, type ModelConfig } from '../models/config';
import { gaussianFamilyPy } from './pytorchGaussianPy';
import { NETWORK_PY } from './pytorchNetworksPy';
import { LIKELIHOODS, labelOf } from '../objective/catalog';
import { pytorchExportProblem } from './pytorchSupport';
import { GAUSSIAN_SIGMA } from '../objective/constants';
import type { ResolvedTrainingConfig } from '../training/config';

export interface ScriptContext {
  config: ModelConfig;
  training: ResolvedTrainingConfig;
  step: number;
  dataName: string;
  savedAt: string;
  scriptName: string;
  weightsName: string;
}




/** The family's model and its objective, in Python (uses Encoder, Decoder and the helpers); null where pytorchExportProblem refuses. */
const FAMILY_PY: Record<FamilyId, ((config: ModelConfig) => string) | null> = {
  vae: (config) => gaussianFamilyPy(config, false),
  cvae: (config) => gaussianFamilyPy(config, true),
  m2: null,
  vqvae: null,
  vaegan: null,
};

function pyLiteral(value: unknown): string {
  // JSON inside a raw triple-quoted string: valid Python whatever the strings hold (no ''' in JSON output of ours)
  return `json.loads(r'''${JSON.stringify(value).replace(/'''/g, "\\u0027\\u0027\\u0027")}''')`;
}

/** The export's Python script. */
export function pytorchScript(c: ScriptContext): string {
  const { config, training } = c;
  const problem = pytorchExportProblem(config);
  const familyPy = FAMILY_PY[config.family];
  if (problem || !familyPy) throw new Error(problem ?? `no PyTorch script for ${config.family}`);
  const family = FAMILIES[config.family];
  const network = NETWORKS.find((n) => n.id === config.network)?.label ?? config.network;
  const { width, height, channels } = config.imageShape;
  const pixels = inputSize(config);
  const condition = family.usesLabels ? config.classCount : 0;
  const likelihood = labelOf(LIKELIHOODS, config.likelihood);
  return `#!/usr/bin/env python3
"""${family.label} exported from VAE Playground on ${c.savedAt.slice(0, 10)}: ${network} network,
${config.latentDim} latent dimensions, ${likelihood} likelihood, trained on ${c.dataName}
(${width}x${height}x${channels} images) for ${c.step} steps.
Weights and Adam's state: ${c.weightsName} (PyTorch's names and layouts).

    python3 ${c.scriptName}                      load the weights, print a summary
    python3 ${c.scriptName} --train DATA${family.usesLabels ? ' --labels LABELS' : ''} --steps 1000 [--out continued.safetensors]
        continue training where the browser stopped (the same objective, optimiser state and
        step); DATA: an .npz / .npy array of images [N, ${pixels}] or [N, ${height}, ${width}] in [0, 1]
        (or 0..255), or an IDX file such as MNIST's train-images-idx3-ubyte(.gz)${
    family.usesLabels
      ? `
        LABELS: their classes 0..${config.classCount - 1}, an .npy array [N] or an IDX label file
        such as train-labels-idx1-ubyte(.gz) (the conditional VAE needs the class of every image)`
      : ''
  }
    python3 ${c.scriptName} --sample 16 --out samples.npy   decode samples from the prior${family.usesLabels ? `
        (as the classes 0, 1, …, ${config.classCount - 1} in turn, or all as --class C)` : ''}

Or import it: from ${c.scriptName.replace(/\.py$/, '')} import load; model, optimizer, step = load('${c.weightsName}')
Images are flattened row by row (channels last), intensities in [0, 1], as in the browser.
"""
import argparse
import gzip
import json
import math
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIG = ${pyLiteral(config)}
TRAINING = ${pyLiteral(training)}
STEP = ${c.step}

HEIGHT, WIDTH, CHANNELS = ${height}, ${width}, ${channels}
PIXELS = ${pixels}
LATENT = ${config.latentDim}
HIDDEN = ${config.hiddenDim}
CONDITION = ${condition}
CLASSES = ${config.classCount}
GAUSSIAN_SIGMA = ${GAUSSIAN_SIGMA}


# ---- the ${network} network: the same layers, names and sizes as in the browser -------------

${NETWORK_PY[config.network](config)}

# ---- the likelihood and the KL schedule ------------------------------------------------------

def reconstruction_nll(logits, x):
    """-log p(x|z) per example, summed over pixels, from the decoder's logits."""
    if CONFIG['likelihood'] == 'bernoulli':
        return F.binary_cross_entropy_with_logits(logits, x, reduction='none').sum(1)
    s = GAUSSIAN_SIGMA
    return (0.5 * (x - torch.sigmoid(logits)) ** 2 / s ** 2 + 0.5 * math.log(2 * math.pi * s ** 2)).sum(1)


def _ramp(a, b):
    return min(1.0, max(0.0, a / b)) if b > 0 else 1.0


def kl_weight_at(step):
    """The KL penalty's weight before step \`step\` (steps already taken), as in the browser."""
    s = TRAINING['klSchedule']
    beta = TRAINING['beta']
    if TRAINING['objective'] == 'autoencoder':
        return 0.0
    if s['kind'] == 'linear':
        return beta * _ramp(step, s['warmupSteps'])
    if s['kind'] == 'cyclical':
        if step >= s['totalSteps']:
            return beta
        length = s['totalSteps'] / s['cycles']
        return beta * _ramp(step % length, s['ramp'] * length)
    if s['kind'] == 'capacity':
        return s['gamma']
    return beta


def capacity_at(step):
    s = TRAINING['klSchedule']
    if TRAINING['objective'] == 'autoencoder' or s['kind'] != 'capacity':
        return None
    return s['capacityMax'] * _ramp(step, s['capacitySteps'])


# ---- the family: ${family.label} -------------------------------------------------------------

${familyPy(config)}

# ---- weights --------------------------------------------------------------------------------

def read_safetensors(path):
    """The tensors and metadata of a .safetensors file: with the safetensors package if it is
    installed, else with numpy (8-byte header length, JSON header, little-endian data)."""
    try:
        from safetensors import safe_open
        with safe_open(path, framework='pt') as f:
            return {k: f.get_tensor(k) for k in f.keys()}, f.metadata() or {}
    except ImportError:
        pass
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop('__metadata__', {})
    dtypes = {'F32': np.float32, 'I64': np.int64}
    tensors = {}
    for name, t in header.items():
        begin, end = t['data_offsets']
        array = np.frombuffer(data[begin:end], dtype=np.dtype(dtypes[t['dtype']]).newbyteorder('<'))
        tensors[name] = torch.from_numpy(array.reshape(t['shape']).astype(dtypes[t['dtype']]))
    return tensors, meta


def write_safetensors(tensors, path, metadata=None):
    """The inverse of read_safetensors, for float32 tensors (numpy only)."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header['__metadata__'] = {k: str(v) for k, v in metadata.items()}
    for name, t in tensors.items():
        blob = t.detach().cpu().contiguous().numpy().astype('<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header).encode()
    text += b' ' * (-len(text) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text + b''.join(blobs))


def _adam_step_value(step):
    major, minor = (int(v) for v in torch.__version__.split('.')[:2])
    return torch.tensor(float(step)) if (major, minor) >= (1, 12) else step


def load(path='${c.weightsName}'):
    """The model with the browser's weights, an Adam optimiser with the browser's moments and
    step (PyTorch's Adam and ours make the same update), and the training step."""
    tensors, meta = read_safetensors(path)
    model = Model()
    model.load_state_dict({k: v for k, v in tensors.items() if not k.startswith('optimizer.')})
    optimizer = torch.optim.Adam(model.parameters(), lr=TRAINING['learningRate'], betas=(0.9, 0.999), eps=1e-8)
    adam_step = int(meta.get('adam_step', '0'))
    if adam_step > 0:
        for name, p in model.named_parameters():
            optimizer.state[p] = {
                'step': _adam_step_value(adam_step),
                'exp_avg': tensors['optimizer.exp_avg.' + name].clone(),
                'exp_avg_sq': tensors['optimizer.exp_avg_sq.' + name].clone(),
            }
    return model, optimizer, int(meta.get('step', STEP))


def save(model, optimizer, step, path):
    """Weights and Adam's state in the same layout as the export (load() reads it back)."""
    tensors = dict(model.state_dict())
    adam_step = 0
    for name, p in model.named_parameters():
        state = optimizer.state.get(p)
        if state:
            tensors['optimizer.exp_avg.' + name] = state['exp_avg']
            tensors['optimizer.exp_avg_sq.' + name] = state['exp_avg_sq']
            adam_step = int(float(state['step']))
    write_safetensors(tensors, path, {'format': 'pt', 'step': step, 'adam_step': adam_step})


# ---- data, training, sampling ---------------------------------------------------------------

def load_images(path):
    """Images [N, PIXELS] in [0, 1] from an .npz / .npy array or an IDX file (optionally gzipped)."""
    if path.endswith('.npz'):
        with np.load(path) as archive:
            array = archive['x'] if 'x' in archive else archive[archive.files[0]]
    elif path.endswith('.npy'):
        array = np.load(path)
    else:
        opener = gzip.open if path.endswith('.gz') else open
        with opener(path, 'rb') as f:
            raw = f.read()
        magic, count = struct.unpack('>II', raw[:8])
        if magic != 2051:
            raise ValueError(path + ' is not an IDX image file (magic 2051)')
        rows, cols = struct.unpack('>II', raw[8:16])
        array = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(count, rows * cols)
    array = np.asarray(array, dtype=np.float32).reshape(len(array), -1)
    if array.shape[1] != PIXELS:
        raise ValueError('the images have %d pixels, the model needs %d' % (array.shape[1], PIXELS))
    if array.max() > 1:
        array = array / 255.0
    return torch.from_numpy(np.ascontiguousarray(array))


def load_labels(path):
    """Class indices [N] from an .npy / .npz array or an IDX label file (optionally gzipped)."""
    if path.endswith('.npz'):
        with np.load(path) as archive:
            array = archive['y'] if 'y' in archive else archive[archive.files[0]]
    elif path.endswith('.npy'):
        array = np.load(path)
    else:
        opener = gzip.open if path.endswith('.gz') else open
        with opener(path, 'rb') as f:
            raw = f.read()
        magic, count = struct.unpack('>II', raw[:8])
        if magic != 2049:
            raise ValueError(path + ' is not an IDX label file (magic 2049)')
        array = np.frombuffer(raw, dtype=np.uint8, offset=8)[:count]
    array = np.asarray(array).reshape(-1).astype(np.int64)
    if len(array) and (array.min() < 0 or array.max() >= CLASSES):
        raise ValueError('the labels must be classes 0..%d' % (CLASSES - 1))
    return torch.from_numpy(np.ascontiguousarray(array))


def train(model, optimizer, images, steps, step=STEP, batch_size=TRAINING['batchSize'], report_every=100, labels=None):
    """Continue training: shuffled mini-batches, each epoch a fresh permutation (its last batch
    shorter), the objective of losses() (with the images' classes, for a conditional model).
    Returns the new step."""
    model.train()
    n = len(images)
    order, at = torch.randperm(n), 0
    for _ in range(steps):
        rows = order[at:at + batch_size]
        x = images[rows]
        y = labels[rows] if labels is not None else None
        at += batch_size
        if at >= n:
            order, at = torch.randperm(n), 0
        optimizer.zero_grad(set_to_none=True)
        objective, terms = losses(model, x, step, y)
        objective.backward()
        optimizer.step()
        step += 1
        if step % report_every == 0:
            print(json.dumps({'step': step, **{k: round(v, 3) for k, v in terms.items()}}), flush=True)
    return step


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--weights', default='${c.weightsName}')
    p.add_argument('--train', metavar='DATA')
    p.add_argument('--steps', type=int, default=1000)
    p.add_argument('--labels', metavar='LABELS')
    p.add_argument('--sample', type=int, default=0)
    p.add_argument('--class', dest='klass', type=int)
    p.add_argument('--out')
    p.add_argument('--seed', type=int, default=0)
    a = p.parse_args()
    torch.manual_seed(a.seed)
    model, optimizer, step = load(a.weights)
    count = sum(t.numel() for t in model.parameters())
    print('%s: %d parameters, step %d, Adam learning rate %g' % (CONFIG['family'], count, step, TRAINING['learningRate']))
    if a.train:
        images = load_images(a.train)
        labels = load_labels(a.labels) if a.labels else None
        if CONDITIONAL and labels is None:
            p.error('the conditional VAE trains on labelled images: give --labels')
        if labels is not None and len(labels) != len(images):
            p.error('%d images but %d labels' % (len(images), len(labels)))
        step = train(model, optimizer, images, a.steps, step, labels=labels)
        out = a.out or 'continued.safetensors'
        save(model, optimizer, step, out)
        print('saved step %d to %s' % (step, out))
    if a.sample:
        model.eval()
        with torch.no_grad():
            z = model.sample_prior(a.sample)
            if CONDITIONAL:
                y = torch.full((a.sample,), a.klass) if a.klass is not None else torch.arange(a.sample) % CLASSES
                images = model.decode(z, y)
            else:
                images = model.decode(z)
            images = images.reshape(a.sample, HEIGHT, WIDTH, CHANNELS)
        out = a.out or 'samples.npy'
        np.save(out, images.numpy())
        print('saved %d samples to %s' % (a.sample, out))


if __name__ == '__main__':
    main()
`;
}
