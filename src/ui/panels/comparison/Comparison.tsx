/**
 * The three-way comparison: the same encoder and decoder trained three times from the same seed,
 * once on reconstruction alone (a plain autoencoder), once on the KL term alone, once on both (the
 * VAE), each latent space drawn in its own symmetric range with the prior's circles for scale.
 */
import { useMemo } from 'react';
import type { ComparisonKind, ComparisonState } from '../../../state/comparison';
import { ClassLegend, labelsPresent } from '../../charts/ClassLegend';
import { MiniScatter } from '../../charts/MiniScatter';
import { fitHalfRange, spreadDims } from '../../charts/miniScatterGeometry';
import { Panel } from '../../components/Panel';
import { formatCount, latentLabel } from '../../format';
import { useElementWidth } from '../../hooks/useElementWidth';
import './comparison.css';

export type { ComparisonKind, ComparisonState };

export interface ComparisonProps {
  state: ComparisonState;
  onRun(): void;
  onCancel(): void;
  classNames: string[];
  /** Why Compare cannot run now (no data yet…); null or absent when it can. */
  disabledReason?: string | null;
}

interface ModelInfo {
  kind: ComparisonKind;
  title: string;
  objective: string;
  explain: string;
}

const MODELS: readonly ModelInfo[] = [
  {
    kind: 'autoencoder',
    title: 'Plain autoencoder (no sampling, no KL)',
    objective: 'reconstruction of x from z = μ(x)',
    explain: 'Codes spread anywhere, with empty holes between the clusters: decoding a point in a hole gives garbage.',
  },
  {
    kind: 'kl-only',
    title: 'KL term only',
    objective: 'KL(q(z|x) ‖ p(z)) alone',
    explain: 'Every posterior collapses onto the prior: one blob at 0 that carries no information about x.',
  },
  {
    kind: 'vae',
    title: 'VAE (reconstruction + KL)',
    objective: 'reconstruction + KL (−ELBO)',
    explain: 'Clusters that stay apart yet cover the prior smoothly, so any z from N(0, I) decodes to something plausible.',
  },
];

const MAX_PLOT = 340;

type Phase = 'idle' | 'waiting' | 'training' | 'done' | 'stopped';

export function Comparison({ state, onRun, onCancel, classNames, disabledReason }: ComparisonProps) {
  const running = state.status === 'running';
  const blocked = !running && !!disabledReason;
  const [sizeRef, colWidth] = useElementWidth();
  const plotSize = colWidth > 0 ? Math.min(MAX_PLOT, Math.floor(colWidth)) : 0;

  const labels = useMemo(() => labelsPresent(state.results.map((r) => r.latents)), [state.results]);

  const tools = (
    <>
      {blocked ? <span className="cmp-blocked">{disabledReason}</span> : null}
      <button
        type="button"
        className={running ? 'cmp-run running' : 'cmp-run'}
        onClick={running ? onCancel : onRun}
        disabled={blocked}
        title={running ? 'Stop the comparison (the main run stays paused)' : (disabledReason ?? `Train the three models for ${formatCount(state.stepsPerModel)} steps each`)}
      >
        {running ? 'Cancel' : 'Compare'}
      </button>
    </>
  );

  const caption = (
    <>
      The same encoder and decoder, trained from the same seed for <b>{formatCount(state.stepsPerModel)}</b> steps each; only the objective differs.
      Reconstruction alone gives codes with no reason to sit anywhere in particular; the KL term alone gives the prior and forgets x; the VAE&rsquo;s
      −ELBO needs both, and that is what makes its latent space something to sample from. Each plot has its own range (corner), with the prior&rsquo;s
      1σ and 2σ circles for scale. The main run is paused while the comparison trains.
    </>
  );

  return (
    <Panel title="Autoencoder vs VAE" className="comparison-panel" caption={caption} tools={tools}>
      {state.message ? (
        <p className={state.status === 'failed' ? 'cmp-message failed' : 'cmp-message'} role={state.status === 'failed' ? 'alert' : 'status'}>
          {state.message}
        </p>
      ) : null}
      <div className="cmp-grid">
        {MODELS.map((m, i) => {
          const result = state.results.find((r) => r.kind === m.kind) ?? null;
          return (
            <ModelColumn
              key={m.kind}
              info={m}
              measure={i === 0 ? sizeRef : undefined}
              plotSize={plotSize}
              result={result}
              phase={phaseOf(state, m.kind, result)}
              stepsPerModel={state.stepsPerModel}
            />
          );
        })}
      </div>
      {labels.length > 1 ? <ClassLegend labels={labels} classNames={classNames} /> : null}
    </Panel>
  );
}

function phaseOf(state: ComparisonState, kind: ComparisonKind, result: ComparisonState['results'][number] | null): Phase {
  const finished = !!result?.latents && result.step >= state.stepsPerModel;
  if (state.status === 'running') {
    if (state.current === kind) return 'training';
    if (finished) return 'done';
    const order = MODELS.findIndex((m) => m.kind === kind);
    const now = MODELS.findIndex((m) => m.kind === state.current);
    return now >= 0 && order < now && result?.latents ? 'done' : 'waiting';
  }
  if (finished) return 'done';
  if (result?.latents) return 'stopped';
  return 'idle';
}

function ModelColumn({
  info,
  measure,
  plotSize,
  result,
  phase,
  stepsPerModel,
}: {
  info: ModelInfo;
  measure?: (el: HTMLDivElement | null) => void;
  plotSize: number;
  result: ComparisonState['results'][number] | null;
  phase: Phase;
  stepsPerModel: number;
}) {
  const latents = result?.latents ?? null;
  const step = result?.step ?? 0;
  const fraction = stepsPerModel > 0 ? Math.max(0, Math.min(1, step / stepsPerModel)) : 0;
  const dims = useMemo<[number, number]>(() => (latents ? spreadDims(latents.mu, latents.count, latents.latentDim) : [0, 1]), [latents]);
  const range = useMemo(() => (latents ? fitHalfRange(latents.mu, latents.count, latents.latentDim, dims, { min: 2.5 }) : 3), [latents, dims]);
  const headingId = `cmp-${info.kind}`;

  const statusText =
    phase === 'training'
      ? `training · ${formatCount(step)} / ${formatCount(stepsPerModel)} steps`
      : phase === 'waiting'
        ? 'waiting'
        : phase === 'done'
          ? `${formatCount(step)} steps`
          : phase === 'stopped'
            ? `stopped at ${formatCount(step)} steps`
            : 'not trained yet';

  const dimsText = latents && latents.latentDim > 2 ? `${latentLabel(dims[0])} × ${latentLabel(dims[1])} of ${latents.latentDim}, widest spread` : null;

  return (
    <section className={`cmp-col cmp-${info.kind}`} aria-labelledby={headingId} data-phase={phase}>
      <h3 id={headingId} className="cmp-title">
        {info.title}
      </h3>
      <p className="cmp-objective">minimises {info.objective}</p>
      <div className="cmp-status">
        <span>{statusText}</span>
        {phase === 'training' || phase === 'waiting' ? (
          <span
            className="cmp-progress"
            role="progressbar"
            aria-label={`${info.title}: training progress`}
            aria-valuemin={0}
            aria-valuemax={stepsPerModel}
            aria-valuenow={phase === 'training' ? step : 0}
          >
            <span style={{ width: `${(phase === 'training' ? fraction : 0) * 100}%` }} />
          </span>
        ) : null}
      </div>
      <div className="cmp-plot" ref={measure}>
        {plotSize > 0 ? (
          latents && latents.count > 0 ? (
            <MiniScatter
              latents={latents}
              dims={dims}
              range={range}
              size={plotSize}
              label={`${info.title}: posterior means of ${formatCount(latents.count)} test images on ${latentLabel(dims[0])} and ${latentLabel(dims[1])} after ${formatCount(step)} steps`}
            />
          ) : (
            <div className="cmp-empty" style={{ width: plotSize, height: plotSize }}>
              {phase === 'training' ? 'training…' : phase === 'waiting' ? 'queued' : 'press Compare'}
            </div>
          )
        ) : null}
      </div>
      <p className="cmp-dims">{dimsText}</p>
      <p className="cmp-explain">{info.explain}</p>
    </section>
  );
}

