/**
 * The "Model diagram" region: the current family's declared graph (catalog → diagram), with the
 * prior's node where the family has a Prior setting, the chosen test image flowing through it
 * (refreshed while training) and a learned prior's weights or pseudo-input from its last report.
 */
import { useMemo } from 'react';
import { FAMILIES } from '../../../core/models/catalog';
import type { FlowValue } from '../../../core/models/diagram';
import { priorFlow, withPrior } from '../../../core/models/diagrams/priors';
import type { Controller } from '../../../state/controller';
import { explainsLive } from '../../../state/explain/explainer';
import { diagramFlowOf } from '../../../state/explain/flow';
import { Panel } from '../../components/Panel';
import { formatStep } from '../../format';
import { useStore } from '../../hooks/useStore';
import { DiagramView } from './DiagramView';
import { ImagePicker } from './ImagePicker';

export function ModelDiagram({ controller }: { controller: Controller }) {
  const familyId = useStore(controller.store, (s) => s.settings.model);
  const prior = useStore(controller.store, (s) => ('prior' in FAMILIES[s.settings.model].settings ? s.settings.prior : null));
  const priorReport = useStore(controller.store, (s) => s.prior);
  const live = useStore(controller.store, (s) => explainsLive(s.settings));
  const result = useStore(controller.explainer.store, (s) => s.result);
  const codes = useStore(controller.codes.store, (s) => s);
  const app = useStore(controller.store, (s) => s);
  const family = FAMILIES[familyId];
  const diagram = useMemo(() => (prior ? withPrior(family.diagram, prior) : family.diagram), [family, prior]);
  const learnedPrior = prior !== null && prior !== 'standard';
  // the family's live values (state/explain/flow.ts), whatever its latent, and a learned prior's
  const own = diagramFlowOf(app, { result }, codes);
  const learned = learnedPrior && priorReport?.kind === prior ? priorFlow(priorReport) : null;
  const flow: Record<string, FlowValue> | null = own || learned ? { ...own?.values, ...learned } : null;
  return (
    <Panel
      title="Model diagram"
      className="panel-diagram"
      caption={
        learnedPrior ? (
          <>
            The {family.label}’s graph under a learned prior; focus or hover a node for what it does. The prior’s node shows what it has learned
            {priorReport?.kind === prior ? <> at step <b>{formatStep(priorReport.step)}</b></> : ' once training starts'}. No test image flows through this graph: the
            worked example writes the KL out in closed form, against N(0, I), and a learned prior has none (choose the standard normal to follow an image).
          </>
        ) : own ? (
          <>
            The {family.label} at step <b>{formatStep(own.step)}</b>: {own.caption}
          </>
        ) : !live ? (
          <>The {family.label}’s graph; focus or hover a node for what it does and its formula.</>
        ) : (
          <>The {family.label}’s graph. Train (or Step) and a test image flows through it, refreshed every 200 steps.</>
        )
      }
    >
      {live ? <ImagePicker controller={controller} /> : null}
      <DiagramView diagram={diagram} flow={flow} />
    </Panel>
  );
}
