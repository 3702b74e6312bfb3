/**
 * Snapshot cards: a run frozen at one step (β = 1, then β = 4, …) shown side by side so runs can
 * be compared. The panel owns what the cards share so they compare: the KL bars' maximum, the
 * height of the traversal block and one class legend.
 */
import { useMemo } from 'react';
import type { Snapshot } from '../../../state/appState';
import { ClassLegend, labelsPresent } from '../../charts/ClassLegend';
import { SHARED_RANGE } from '../../charts/miniScatterGeometry';
import { Panel } from '../../components/Panel';
import { SnapshotCard } from './SnapshotCard';
import { MAX_TRAVERSAL_ROWS } from './TraversalStrip';
import './snapshots.css';

export interface SnapshotsProps {
  snapshots: Snapshot[];
  onTake(): void;
  onRemove(id: number): void;
  canTake: boolean;
  classNames: string[];
  /** Shape of the traversal images; inferred as square from the pixel count when absent. */
  imageShape?: { width: number; height: number };
  /** Collapse vs rescue (state/rescue.ts), offered with the autoregressive decoder. */
  rescue?: { onRun(): void; running: boolean; message: string | null; steps: number };
}

const EMPTY_TEXT =
  'Freeze the current run into a card — train at β = 1, snapshot, set β = 4, train, snapshot — and compare them side by side.';

export function Snapshots({ snapshots, onTake, onRemove, canTake, classNames, imageShape, rescue }: SnapshotsProps) {
  const klMax = useMemo(() => {
    let m = 0;
    for (const s of snapshots) for (const v of s.values?.klPerDim ?? []) if (Number.isFinite(v) && v > m) m = v;
    return m;
  }, [snapshots]);
  const traversalSlots = useMemo(
    () => snapshots.reduce((m, s) => Math.max(m, s.traversal ? Math.min(MAX_TRAVERSAL_ROWS, s.traversal.dims.length) : 0), 0),
    [snapshots],
  );
  const labels = useMemo(() => labelsPresent(snapshots.map((s) => s.latents)), [snapshots]);

  const tools = (
    <>
      {rescue ? (
        <button
          type="button"
          className="snap-rescue"
          onClick={rescue.onRun}
          disabled={rescue.running}
          title={`Train the autoregressive decoder twice for ${rescue.steps} steps, same seed: β = 1 constant, then cyclical β with free bits; one card each`}
        >
          Collapse vs rescue
        </button>
      ) : null}
    <button type="button" className="snap-take" onClick={onTake} disabled={!canTake} title={canTake ? 'Freeze the current run into a card' : 'Train a model first: a snapshot needs its latent space'}>
      Take snapshot
    </button>
    </>
  );
  const caption = snapshots.length ? (
    <>
      Each card is a run frozen at one step: its test images&rsquo; posterior means on its two highest-KL dimensions, every card on the same ±{SHARED_RANGE}{' '}
      scale with the prior&rsquo;s 1σ and 2σ circles; traversals of its top dimensions (rows by KL, −3 … 3); its KL per dimension on one scale for all
      cards (dark bars: the two on its scatter). At most 6 cards: a seventh replaces the oldest.
      {rescue?.message ? <> {rescue.message}</> : null}
    </>
  ) : rescue?.message ? (
    <>{rescue.message}</>
  ) : null;

  return (
    <Panel title="Snapshots" className="snapshots-panel" caption={caption} tools={tools}>
      {snapshots.length === 0 ? (
        <div className="panel-empty snap-empty">
          <p>{EMPTY_TEXT}</p>
        </div>
      ) : (
        <>
          <div className="snap-row">
            {snapshots.map((s) => (
              <SnapshotCard key={s.id} snapshot={s} onRemove={onRemove} klMax={klMax} traversalSlots={traversalSlots} imageShape={imageShape} />
            ))}
          </div>
          {labels.length > 1 ? <ClassLegend labels={labels} classNames={classNames} /> : null}
        </>
      )}
    </Panel>
  );
}
