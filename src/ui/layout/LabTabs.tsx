/**
 * The labs, one tab each below the core loop, so a newcomer finds them without a long scroll: the
 * β-VAE lab (traversals, KL per dimension, disentanglement, snapshot cards), the three-way
 * comparison, the tools of a trained model, and sample quality (Score samples; VAE-GAN's discriminator). A tab shows only the panels the model's family
 * declares; a tab with none is hidden.
 */
import { lazy, memo, Suspense, useEffect, type ReactNode } from 'react';
import { FAMILIES, type PanelId } from '../../core/models/catalog';
import { DATASETS } from '../../data/catalog';
import type { Controller } from '../../state/controller';
import type { LabTab } from '../../state/viewState';
import { useStore } from '../hooks/useStore';
import { Panel } from '../components/Panel';
import { Disentanglement as DisentanglementPanel } from '../panels/lab/Disentanglement';
import { KlBars as KlBarsPanel } from '../panels/lab/KlBars';
import { LatentUsage } from '../panels/lab/LatentUsage';
import { Snapshots as SnapshotsPanel } from '../panels/snapshots/Snapshots';
import { Traversals as TraversalsPanel } from '../panels/lab/Traversals';
import { toolApplies, USE_PANELS } from '../panels/use/tools';

// the tabs a page does not open first load apart from the page's first script (which stays small),
// fetched a few seconds after the page is up so that opening them later shows them at once
const loadUse = () => import('../panels/use/UseTheModel');
const loadComparison = () => import('../panels/comparison/Comparison');
const loadClasses = () => import('../panels/classes/ClassifierPanel');
const loadQuality = () => import('../panels/quality/QualityTab');
const UseTheModel = lazy(() => loadUse().then((m) => ({ default: m.UseTheModel })));
const Comparison = lazy(() => loadComparison().then((m) => ({ default: memo(m.Comparison) })));
const ClassifierPanel = lazy(() => loadClasses().then((m) => ({ default: memo(m.ClassifierPanel) })));
const QualityTab = lazy(() => loadQuality().then((m) => ({ default: m.QualityTab })));
const PREFETCH_AFTER_MS = 3000;

const Traversals = memo(TraversalsPanel);
const KlBars = memo(KlBarsPanel);
const Disentanglement = memo(DisentanglementPanel);
const Snapshots = memo(SnapshotsPanel);

const NO_CLASSES: string[] = [];

interface TabSpec {
  id: LabTab;
  label: string;
  panels: readonly PanelId[];
}

const TABS: readonly TabSpec[] = [
  { id: 'lab', label: 'β-VAE lab', panels: ['traversals', 'klPerDimension', 'disentanglement', 'latentUsage', 'snapshots'] },
  { id: 'compare', label: 'AE vs VAE', panels: ['comparison'] },
  { id: 'classes', label: 'Semi-supervised', panels: ['classifier'] },
  { id: 'use', label: 'Use the model', panels: USE_PANELS },
  { id: 'sharpness', label: 'Sample quality', panels: ['discriminator', 'sampleQuality', 'vaeBaseline'] },
];

/** Why there are no KL bars under a mixture prior (in the KL bars' place in the lab). */
function NoKlPerDimension({ activeUnits, latentDim }: { activeUnits: number | null; latentDim: number }) {
  return (
    <Panel title="KL per dimension" caption={<>Active units: Var over test images of E[q(z_u|x)] &gt; 0.01 (Burda et al.).</>}>
      <p className="panel-note">
        Under a learned mixture prior the KL has no per-dimension parts: the prior couples the dimensions, and the KL term is the one-sample
        estimate log q(z|x) − log p(z) of the whole code. {activeUnits !== null ? <>Active units: <b>{activeUnits}</b> of {latentDim}.</> : null}
      </p>
    </Panel>
  );
}

function ClassesTab({ controller }: { controller: Controller }) {
  const classifier = useStore(controller.store, (s) => s.classifier);
  return <ClassifierPanel latest={classifier.latest} history={classifier.history} />;
}

function BetaLab({ controller, shows }: { controller: Controller; shows(id: PanelId): boolean }) {
  const settings = useStore(controller.store, (s) => s.settings);
  const latest = useStore(controller.store, (s) => s.training.latest);
  const disentanglement = useStore(controller.store, (s) => s.disentanglement);
  const summary = useStore(controller.store, (s) => s.data.summary);
  const snapshots = useStore(controller.store, (s) => s.snapshots);
  const rescue = useStore(controller.store, (s) => s.rescue);
  const hasLatents = useStore(controller.store, (s) => s.latents !== null);
  const traversal = useStore(controller.view, (v) => v.traversal);
  const imageShape = summary?.shape ?? DATASETS[settings.dataset].shape;
  const klPerDim = latest?.klPerDim ?? null;
  return (
    <div className="lab-grid">
      {/* two columns of about equal height: the traversals (one row per dimension) with the latent usage under them, the KL bars with the disentanglement */}
      <div className="panel-lab-main">
        {shows('traversals') ? <Traversals traversal={traversal} klPerDim={klPerDim} imageShape={imageShape} latentDim={settings.latentDim} /> : null}
        {shows('latentUsage') ? <LatentUsage history={disentanglement.history} latest={disentanglement.latest} autoregressive={settings.decoder === 'made'} /> : null}
      </div>
      <div className="panel-lab-side">
        {shows('klPerDimension') && settings.prior !== 'standard' && 'prior' in FAMILIES[settings.model].settings ? (
          <NoKlPerDimension activeUnits={disentanglement.latest?.activeUnits ?? null} latentDim={settings.latentDim} />
        ) : shows('klPerDimension') ? (
          <KlBars
            klPerDim={klPerDim}
            unitVariances={disentanglement.latest?.unitVariances ?? null}
            activeUnits={disentanglement.latest?.activeUnits ?? null}
            freeBits={settings.freeBits}
            latentDim={settings.latentDim}
          />
        ) : null}
        {shows('disentanglement') ? (
          <Disentanglement history={disentanglement.history} latest={disentanglement.latest} hasFactors={Boolean(summary?.factors)} datasetName={DATASETS[settings.dataset].shortName} />
        ) : null}
      </div>
      {shows('snapshots') ? (
        <div className="panel-snapshots">
          <Snapshots
            snapshots={snapshots}
            onTake={() => controller.takeSnapshot()}
            onRemove={(id) => controller.removeSnapshot(id)}
            canTake={hasLatents}
            classNames={summary?.classNames ?? NO_CLASSES}
            imageShape={imageShape}
            rescue={settings.decoder === 'made' ? { onRun: () => controller.runRescue(), running: rescue.status === 'running', message: rescue.message, steps: settings.comparisonSteps } : undefined}
          />
        </div>
      ) : null}
    </div>
  );
}

function CompareTab({ controller }: { controller: Controller }) {
  const comparison = useStore(controller.store, (s) => s.comparison);
  const classNames = useStore(controller.store, (s) => s.data.summary?.classNames ?? NO_CLASSES);
  const dataReady = useStore(controller.store, (s) => s.data.stage === 'ready');
  return (
    <Comparison
      state={comparison}
      onRun={() => controller.runComparison()}
      onCancel={() => controller.cancelComparison()}
      classNames={classNames}
      disabledReason={dataReady ? null : 'waiting for the data'}
    />
  );
}

export function LabTabs({ controller }: { controller: Controller }) {
  const model = useStore(controller.store, (s) => s.settings.model);
  const chosen = useStore(controller.view, (v) => v.labTab);
  const panels: readonly PanelId[] = FAMILIES[model].panels;
  useEffect(() => {
    const timer = setTimeout(() => void Promise.all([loadUse(), loadComparison(), loadClasses(), loadQuality()]).catch(() => undefined), PREFETCH_AFTER_MS);
    return () => clearTimeout(timer);
  }, []);
  const shows = (id: PanelId) => panels.includes(id) && (!USE_PANELS.includes(id) || toolApplies(id, FAMILIES[model]));
  const tabs = TABS.filter((t) => t.panels.some(shows));
  if (tabs.length === 0) return null;
  const active = tabs.find((t) => t.id === chosen) ?? tabs[0];
  const content: Record<LabTab, ReactNode> = {
    lab: <BetaLab controller={controller} shows={shows} />,
    compare: <CompareTab controller={controller} />,
    classes: <ClassesTab controller={controller} />,
    use: <UseTheModel controller={controller} />,
    sharpness: <QualityTab controller={controller} shows={shows} />,
  };
  return (
    <section className="labs" aria-label="Labs">
      <div className="lab-tabs" role="tablist" aria-label="Labs">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={t.id === active.id}
            aria-controls={`tabpanel-${t.id}`}
            tabIndex={t.id === active.id ? 0 : -1}
            onClick={() => controller.openLabTab(t.id)}
            onKeyDown={(e) => {
              if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
              const i = tabs.indexOf(t) + (e.key === 'ArrowRight' ? 1 : -1);
              const next = tabs[(i + tabs.length) % tabs.length];
              controller.openLabTab(next.id);
              document.getElementById(`tab-${next.id}`)?.focus();
            }}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`tabpanel-${active.id}`} aria-labelledby={`tab-${active.id}`} className="lab-panel">
        <Suspense fallback={<div className="panel-empty">Loading…</div>}>{content[active.id]}</Suspense>
      </div>
    </section>
  );
}
