/** The settings sidebar: data set, model, β and the optimiser, each declared in state/settings. */
import type { Controller } from '../../state/controller';
import { useStore } from '../../state/store';
import { BACKEND_CHOICES, BATCH_SIZE_CHOICES, LATENT_DIM_CHOICES, type SettingKey } from '../../state/settings';
import { DATASETS } from '../../data/catalog';
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
          { value: 'bernoulli', label: 'Bernoulli (cross-entropy)' },
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
      <SelectField
        label="KL schedule"
        value={settings.klSchedule}
        options={[
          { value: 'constant', label: 'Constant β' },
          { value: 'linear', label: 'Linear warm-up 0 → β' },
          { value: 'cyclical', label: 'Cyclical (Fu et al. 2019)' },
          { value: 'capacity', label: 'Capacity annealing (Burgess et al.)' },
        ]}
        onChange={change('klSchedule')}
      />
      {settings.klSchedule === 'linear' ? <NumberField label="Warm-up steps" value={settings.warmupSteps} onCommit={change('warmupSteps')} hint="Steps over which the KL weight rises from 0 to β" /> : null}
      {settings.klSchedule === 'cyclical' ? (
        <div className="field-row">
          <NumberField label="Cycles" value={settings.cycles} onCommit={change('cycles')} hint="M cycles of 0 → β" />
          <NumberField label="Ramp fraction" value={settings.cycleRamp} onCommit={change('cycleRamp')} hint="Fraction R of each cycle spent ramping; β for the rest" />
          <NumberField label="Steps of all cycles" value={settings.cycleSteps} onCommit={change('cycleSteps')} hint="After these steps the weight stays at β" />
        </div>
      ) : null}
      {settings.klSchedule === 'capacity' ? (
        <div className="field-row">
          <NumberField label="Capacity C_max (nats)" value={settings.capacityMax} onCommit={change('capacityMax')} hint="The KL target rises from 0 to C_max" />
          <NumberField label="Capacity steps" value={settings.capacitySteps} onCommit={change('capacitySteps')} hint="Steps over which C rises" />
          <NumberField label="γ (capacity weight)" value={settings.gamma} onCommit={change('gamma')} hint="loss = reconstruction + γ·|KL − C|; β is not used" />
        </div>
      ) : null}
      <NumberField label="Free bits λ (nats)" value={settings.freeBits} onCommit={change('freeBits')} hint="Each latent dimension's KL is penalised as max(λ, KL): no push below λ nats (Kingma et al. 2016)" />
      <h2 className="controls-title">Optimiser</h2>
      <NumberField label="Learning rate" value={settings.learningRate} onCommit={change('learningRate')} hint="Adam's step size, 0.00001 to 10" />
      <SelectField label="Batch size" value={settings.batchSize} options={BATCH_SIZE_CHOICES.map((b) => ({ value: b, label: String(b) }))} onChange={change('batchSize')} />
      <details className="controls-advanced">
        <summary>Advanced</summary>
        <NumberField label="Hidden units" value={settings.hiddenDim} onCommit={change('hiddenDim')} hint="Width of the encoder's and decoder's hidden layer" />
        <NumberField label="Seed" value={settings.seed} onCommit={change('seed')} hint="Weights, batches and noise are drawn from this seed" />
        <NumberField label="Comparison steps per model" value={settings.comparisonSteps} onCommit={change('comparisonSteps')} hint="Training steps of each model in the autoencoder / KL-only / VAE comparison" />
        <SelectField label="Backend" value={settings.backend} options={BACKEND_CHOICES.map((b) => ({ value: b, label: BACKEND_LABELS[b] }))} onChange={change('backend')} />
      </details>
    </aside>
  );
}
