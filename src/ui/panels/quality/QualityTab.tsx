/** The "Sample quality" tab: the discriminator (adversarial families), Score samples, and the plain-VAE baseline. */
import type { PanelId } from '../../../core/models/catalog';
import { FAMILIES } from '../../../core/models/catalog';
import { DATASETS } from '../../../data/catalog';
import type { Controller } from '../../../state/controller';
import { useStore } from '../../hooks/useStore';
import { Discriminator } from './Discriminator';
import { SampleQuality } from './SampleQuality';
import { VaeBaseline } from './VaeBaseline';
import './quality.css';

const NO_CLASSES: string[] = [];

export function QualityTab({ controller, shows }: { controller: Controller; shows(id: PanelId): boolean }) {
  const quality = useStore(controller.quality.store, (s) => s);
  const step = useStore(controller.store, (s) => s.training.step);
  const ready = useStore(controller.store, (s) => s.model !== null && s.data.stage === 'ready');
  const running = useStore(controller.store, (s) => s.training.running);
  const classNames = useStore(controller.store, (s) => s.data.summary?.classNames ?? NO_CLASSES);
  const settings = useStore(controller.store, (s) => s.settings);
  const shape = useStore(controller.store, (s) => s.data.summary?.shape ?? DATASETS[s.settings.dataset].shape);
  const latestTest = useStore(controller.store, (s) => s.training.latestTest);
  return (
    <div className="quality-grid">
      {shows('discriminator') ? <Discriminator history={quality.discriminator.history} latest={quality.discriminator.latest} /> : null}
      {shows('sampleQuality') ? (
        <SampleQuality state={quality.score} step={step} canRun={ready} classNames={classNames} onScore={() => controller.quality.scoreSamples()} onCancel={() => controller.quality.cancelScore()} />
      ) : null}
      {shows('vaeBaseline') ? (
        <VaeBaseline
          state={quality.baseline}
          modelScore={quality.score.result}
          modelNegativeElbo={latestTest?.negativeElbo ?? null}
          modelLabel={FAMILIES[settings.model].label}
          shape={shape}
          canRun={ready && !running && step > 0}
          onRun={() => void controller.quality.runBaseline()}
          onCancel={() => controller.quality.cancelBaseline()}
        />
      ) : null}
    </div>
  );
}
