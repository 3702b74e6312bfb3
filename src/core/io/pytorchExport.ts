/**
 * "Export for PyTorch": a model's weights and Adam's state in PyTorch's names and layouts
 * (torchLayout.ts) as a .safetensors file (safetensors.ts), the Python script that defines the
 * same network and loss and loads them (pytorchScript.ts), and a short readme, as zip entries.
 * Pure: the caller reads the tensors and writes the zip.
 */
import { FAMILIES } from '../models/catalog';
import type { ModelConfig } from '../models/config';
import type { ResolvedTrainingConfig } from '../training/config';
import { pytorchScript } from './pytorchScript';
import { pytorchExportProblem } from './pytorchSupport';
import { writeSafetensors, type SafeTensor } from './safetensors';
import { toTorch, torchLayers } from './torchLayout';
import type { NamedWeight } from './weights';
import type { ZipEntry } from './zipWriter';

export const WEIGHTS_FILE = 'model.safetensors';
export const SCRIPT_FILE = 'vae_model.py';

export interface PytorchExportInput {
  config: ModelConfig;
  training: ResolvedTrainingConfig;
  step: number;
  /** Adam's step (its bias corrections); the moments below are of that step. */
  adamStep: number;
  weights: readonly NamedWeight[];
  firstMoments: readonly NamedWeight[];
  secondMoments: readonly NamedWeight[];
  dataName: string;
  savedAt: string;
}

/** The .safetensors bytes: the state_dict, then `optimizer.exp_avg.<name>` / `optimizer.exp_avg_sq.<name>`. */
export function pytorchWeights(input: PytorchExportInput): Uint8Array {
  const layers = torchLayers(input.config);
  const weights = toTorch(layers, input.weights);
  const first = toTorch(layers, input.firstMoments).map((t) => ({ ...t, name: `optimizer.exp_avg.${t.name}` }));
  const second = toTorch(layers, input.secondMoments).map((t) => ({ ...t, name: `optimizer.exp_avg_sq.${t.name}` }));
  const tensors: SafeTensor[] = [...weights, ...first, ...second];
  return writeSafetensors(tensors, {
    format: 'pt',
    producer: 'VAE Playground',
    step: String(input.step),
    adam_step: String(input.adamStep),
    model: JSON.stringify(input.config),
    training: JSON.stringify(input.training),
  });
}

function readme(input: PytorchExportInput): string {
  const family = FAMILIES[input.config.family];
  return `${family.label} exported from VAE Playground (${input.savedAt.slice(0, 10)}), trained on ${input.dataName} for ${input.step} steps.

${WEIGHTS_FILE}  the weights in PyTorch's names and layouts (nn.Linear weights are [out, in]),
                   and Adam's moments as optimizer.exp_avg.<name> / optimizer.exp_avg_sq.<name>;
                   the metadata holds the step, Adam's step and the model's settings as JSON.
${SCRIPT_FILE}        defines the same network and loss, loads the weights (with the safetensors
                   package if installed, else numpy), and continues training or samples:

    python3 ${SCRIPT_FILE}                          # summary
    python3 ${SCRIPT_FILE} --train train-images-idx3-ubyte.gz --steps 1000
    python3 ${SCRIPT_FILE} --sample 16 --out samples.npy

Needs Python 3, PyTorch (1.12 or later) and numpy.
`;
}

/** The export's files; throws with pytorchExportProblem's reason for a model it cannot express. */
export function pytorchExportEntries(input: PytorchExportInput): ZipEntry[] {
  const problem = pytorchExportProblem(input.config);
  if (problem) throw new Error(problem);
  const text = new TextEncoder();
  const script = pytorchScript({ config: input.config, training: input.training, step: input.step, dataName: input.dataName, savedAt: input.savedAt, scriptName: SCRIPT_FILE, weightsName: WEIGHTS_FILE });
  return [
    { name: WEIGHTS_FILE, data: pytorchWeights(input) },
    { name: SCRIPT_FILE, data: text.encode(script) },
    { name: 'README.txt', data: text.encode(readme(input)) },
  ];
}
