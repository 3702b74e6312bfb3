/** Train / Step / Reset and the live numbers: step, epoch, speed, backend and the ELBO's terms. */
import type { Controller } from '../state/controller';
import { useStore } from './hooks/useStore';
import { fmt, formatCount, formatSpeed } from './format';
import { FAMILIES } from '../core/models/catalog';
import { termValue } from '../core/objective/terms';

export function StatusBar({ controller }: { controller: Controller }) {
  const training = useStore(controller.store, (s) => s.training);
  const backend = useStore(controller.store, (s) => s.backend);
  // a model the worker is replacing is not one to train (its commands would wait for the new one)
  const ready = useStore(controller.store, (s) => s.model !== null && !s.buildingModel && s.data.stage === 'ready');
  const latest = training.latest;
  const terms = useStore(controller.store, (s) => s.model?.terms ?? FAMILIES[s.settings.model].terms);
  const epochPercent = Math.round(training.epochProgress * 100);
  const family = useStore(controller.store, (s) => FAMILIES[s.settings.model]);
  // GAN Lab's step buttons: one player at a time, or both (Step)
  const players = 'players' in family ? family.players : [];
  return (
    <section className="statusbar" aria-label="Training">
      <div className="buttons">
        <button type="button" className="primary" data-tour="train" disabled={!ready} aria-pressed={training.running} onClick={() => controller.toggleTraining()}>
          <span aria-hidden="true" className="icon">{training.running ? '❚❚' : '▶'}</span>
          {training.running ? 'Pause' : 'Train'}
        </button>
        <button type="button" disabled={!ready || training.running} onClick={() => controller.step()} title={players.length ? `Train every player on one batch (${players.map((p) => p.label.toLowerCase()).join(', then ')})` : 'Train on one batch'}>
          Step
        </button>
        {players.map((p) => (
          <button key={p.id} type="button" disabled={!ready || training.running} onClick={() => controller.step(p.id)} title={`Update only the ${p.label.toLowerCase()}'s weights, on one batch`}>
            Step {p.label.toLowerCase()}
          </button>
        ))}
        <button type="button" disabled={!ready} onClick={() => controller.reset()} title="Fresh weights, same settings">
          Reset
        </button>
      </div>
      <div className="status-figures">
        <div className="figure">
          <span className="figure-label">step</span>
          <span role="status" aria-live="polite" className="figure-value num">
            Step {formatCount(training.step)}
          </span>
        </div>
        <div className="figure">
          <span className="figure-label">epoch</span>
          <span className="figure-value num">{Math.floor(training.epoch)}</span>
          <span className="epoch-bar" role="progressbar" aria-label="Epoch progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={epochPercent}>
            <span style={{ width: `${epochPercent}%` }} />
          </span>
        </div>
        <div className="figure">
          <span className="figure-label">speed</span>
          <span className="figure-value num">{formatSpeed(training.stepsPerSecond)}</span>
        </div>
        <div className="figure" title={backend?.reason}>
          <span className="figure-label">backend</span>
          <span className="figure-value">{backend ? `${backend.name}${backend.name === 'wasm' ? ` ×${backend.threads}` : ''}` : '…'}</span>
        </div>
        <div className="figure terms">
          {terms.filter((t) => !('partOf' in t) || t.partOf === undefined).map((t) => (
            <span key={t.id} className={`term role-${t.role}`} title={t.meaning}>
              <span className="figure-label">{t.label}</span>
              <span className="figure-value num" data-testid={`${t.id}-value`}>
                {fmt(latest ? termValue(latest, t.id) : undefined)}
              </span>
            </span>
          ))}
          <span className="term elbo" title="The negative ELBO: the sum of the terms above, an upper bound on −log p(x)">
            <span className="figure-label">−ELBO</span>
            <span className="figure-value num" data-testid="elbo-value">{fmt(latest?.negativeElbo)}</span>
          </span>
        </div>
      </div>
    </section>
  );
}
