/**
 * The "Use the model" tab: what a trained VAE is for. Interpolation, drawing your own digit, the
 * importance-weighted log-likelihood, anomaly detection by −ELBO and reconstructions, each shown
 * when the model's family declares it (and, for the path and the bound, has a Gaussian latent).
 */
import { memo, useMemo } from 'react';
import { sortedScores } from '../../../core/analysis/roc';
import { FAMILIES, type PanelId } from '../../../core/models/catalog';
import { DATASETS } from '../../../data/catalog';
import type { Controller } from '../../../state/controller';
import { NEGATIVE_ELBO } from '../../../state/analysis/state';
import { useStore } from '../../hooks/useStore';
import { AnomalyDetection as AnomalyDetectionPanel, drawingScores } from './AnomalyDetection';
import { defaultThreshold } from './anomalyMath';
import { DrawDigit as DrawDigitPanel } from './DrawDigit';
import { Interpolation as InterpolationPanel } from './Interpolation';
import { LogLikelihood as LogLikelihoodPanel } from './LogLikelihood';
import { Reconstructions as ReconstructionsPanel } from './Reconstructions';
import { toolApplies } from './tools';
import '../lab/lab.css';
import './use.css';

const Interpolation = memo(InterpolationPanel);
const DrawDigit = memo(DrawDigitPanel);
const LogLikelihood = memo(LogLikelihoodPanel);
const AnomalyDetection = memo(AnomalyDetectionPanel);
const Reconstructions = memo(ReconstructionsPanel);

const NO_CLASSES: string[] = [];
export function UseTheModel({ controller }: { controller: Controller }) {
  const tools = controller.analysis;
  const settings = useStore(controller.store, (s) => s.settings);
  const summary = useStore(controller.store, (s) => s.data.summary);
  const model = useStore(controller.store, (s) => s.model);
  const step = useStore(controller.store, (s) => s.training.step);
  const labels = useStore(controller.store, (s) => s.latents?.labels ?? null);
  const interpolation = useStore(tools.store, (s) => s.interpolation);
  const anomaly = useStore(tools.store, (s) => s.anomaly);
  const drawing = useStore(tools.store, (s) => s.drawing);
  const bound = useStore(tools.store, (s) => s.bound);
  const reconstructions = useStore(tools.store, (s) => s.reconstructions);
  const family = FAMILIES[settings.model];
  const shows = (id: PanelId) => toolApplies(id, family);
  const imageShape = summary?.shape ?? DATASETS[settings.dataset].shape;
  const classNames = summary?.classNames ?? NO_CLASSES;
  const ready = model !== null;

  const handlers = useMemo(
    () => ({
      path: (p: 'linear' | 'spherical') => tools.interpolation.setPath(p),
      classes: (from: number | null, to: number | null) => tools.interpolation.setClasses(from, to),
      another: () => tools.interpolation.randomEnds(),
      pick: (end: 0 | 1 | null) => tools.interpolation.startPicking(end),
      drawingInput: (input: Float32Array | null, source: Parameters<typeof tools.setDrawing>[1]) => tools.setDrawing(input, source),
      drawingMessage: (message: string | null) => tools.setDrawingMessage(message),
      boundCount: (n: number) => tools.setBoundCount(n),
      estimate: () => tools.estimateBound(),
      cancelBound: () => tools.cancelBound(),
      score: () => tools.scoreSets(),
      cancelScore: () => tools.cancelScoring(),
      scoreKey: (key: string) => tools.setScore(key),
      threshold: (value: number) => tools.setThreshold(value),
      corruption: (kind: Parameters<typeof tools.setCorruption>[0]) => tools.setCorruption(kind),
    }),
    [tools],
  );

  const testScores = useMemo(() => (anomaly.result ? sortedScores(anomaly.result.sets[0].negativeElbo) : null), [anomaly.result]);
  const elboThreshold = anomaly.result ? (anomaly.score === NEGATIVE_ELBO ? (anomaly.threshold ?? defaultThreshold(anomaly.result.sets[0], NEGATIVE_ELBO)) : null) : null;
  const drawn = useMemo(() => (drawing.input ? drawingScores(drawing.result) : null), [drawing.input, drawing.result]);
  const terms = model?.terms ?? family.terms;

  return (
    <div className="use-grid">
      {shows('interpolation') ? (
        <div className="use-area-interpolation">
          <Interpolation
            state={interpolation}
            latentDim={settings.latentDim}
            classNames={classNames}
            imageShape={imageShape}
            onPath={handlers.path}
            onClasses={handlers.classes}
            onAnother={handlers.another}
            onPick={handlers.pick}
          />
        </div>
      ) : null}
      {shows('drawing') ? (
        <div className="use-area-draw">
          <DrawDigit
            state={drawing}
            imageShape={imageShape}
            testScores={testScores}
            threshold={elboThreshold}
            datasetName={DATASETS[settings.dataset].shortName}
            onInput={handlers.drawingInput}
            onMessage={handlers.drawingMessage}
          />
        </div>
      ) : null}
      {shows('logLikelihood') ? (
        <div className="use-area-iwae">
          <LogLikelihood state={bound} step={step} canRun={ready} onCount={handlers.boundCount} onEstimate={handlers.estimate} onCancel={handlers.cancelBound} />
        </div>
      ) : null}
      {shows('anomalyDetection') ? (
        <div className="use-area-anomaly">
          <AnomalyDetection
            state={anomaly}
            terms={terms}
            drawing={drawn}
            step={step}
            canRun={ready}
            imageShape={imageShape}
            onRun={handlers.score}
            onCancel={handlers.cancelScore}
            onScoreKey={handlers.scoreKey}
            onThreshold={handlers.threshold}
          />
        </div>
      ) : null}
      {shows('reconstructions') ? (
        <div className="use-area-reconstructions">
          <Reconstructions state={reconstructions} imageShape={imageShape} classNames={classNames} labels={labels} onCorruption={handlers.corruption} />
        </div>
      ) : null}
    </div>
  );
}
