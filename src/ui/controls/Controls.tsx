/** The settings sidebar: data set, model, β and the optimiser, each declared in state/settings. */
import type { Controller } from '../../state/controller';
import { useStore } from '../../state/store';
import { BACKEND_CHOICES, BATCH_SIZE_CHOICES, LATENT_DIM_CHOICES, type SettingKey } from '../../state/settings';
import { DATASETS } from '../../data/registry';
import { BetaInput } from './BetaInput';
import { NumberField } from './NumberField';
import { SelectField } from './SelectField';

const BACKEND_LABELS: Record<string, string> = { auto: 'Automatic', wasm: 'WebAssembly (CPU)', webgl: 'WebGL (GPU)', cpu: 'Plain JavaScript' };

export function Controls({ controller }: { controller: Controller }) {
  const settings = useStore(controller.store, (s) => s.settings);
  const change = (key: SettingKey) => (raw: string | number) => controller.changeSetting(key, raw);
  return (
    <aside className="controls" aria-label="Settings">
      <h2 className="controls-title">Data & model</h2>
      <SelectField label="Dataset" value={settings.dataset} options={Object.entries(DATASETS).map(([value, d]) => ({ value, label: d.name }))} onChange={change('dataset')} />
      <SelectField label="Latent dimensions" value={settings.latentDim} options={LATENT_DIM_CHOICES.map((d) => ({ value: d, label: String(d) }))} onChange={change('latentDim')} />
      <SelectField
        label="Likelihood"
        value={settings.likelihood}
        options={[
          { value: 'bernoulli', label: 'Bernoulli (pixels as probabilities)' },
          { value: 'gaussian', label: 'Gaussian (σ = 0.1)' },
        ]}
        onChange={change('likelihood')}
      />
      <h2 className="controls-title">Objective</h2>
      <BetaInput value={settings.beta} onCommit={change('beta')} />
      <p className="controls-help">
        loss = reconstruction + <b>β</b>·KL. β &gt; 1 pulls q(z|x) toward the prior (smoother latent space, blurrier images); β &lt; 1 lets it
        drift away.
      </p>
      <h2 className="controls-title">Optimiser</h2>
      <NumberField label="Learning rate" value={settings.learningRate} onCommit={change('learningRate')} hint="Adam's step size, 0.00001 to 10" />
      <SelectField label="Batch size" value={settings.batchSize} options={BATCH_SIZE_CHOICES.map((b) => ({ value: b, label: String(b) }))} onChange={change('batchSize')} />
      <details className="controls-advanced">
        <summary>Advanced</summary>
        <NumberField label="Hidden units" value={settings.hiddenDim} onCommit={change('hiddenDim')} hint="Width of the encoder's and decoder's hidden layer" />
        <NumberField label="Seed" value={settings.seed} onCommit={change('seed')} hint="Weights, batches and noise are drawn from this seed" />
        <SelectField label="Backend" value={settings.backend} options={BACKEND_CHOICES.map((b) => ({ value: b, label: BACKEND_LABELS[b] }))} onChange={change('backend')} />
      </details>
    </aside>
  );
}
