/**
 * The "Model diagram" region: the current family's declared graph (catalog → diagram) with the
 * chosen test image flowing through it, refreshed while training.
 */
import { FAMILIES } from '../../../core/models/catalog';
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
  const live = useStore(controller.store, (s) => explainsLive(s.settings));
  const result = useStore(controller.explainer.store, (s) => s.result);
  const codes = useStore(controller.codes.store, (s) => s);
  const app = useStore(controller.store, (s) => s);
  const family = FAMILIES[familyId];
  // the family's live values (state/explain/flow.ts), whatever its latent
  const flow = diagramFlowOf(app, { result }, codes);
  return (
    <Panel
      title="Model diagram"
      className="panel-diagram"
      caption={
        flow ? (
          <>
            The {family.label} at step <b>{formatStep(flow.step)}</b>: {flow.caption}
          </>
        ) : !live && family.latentKind === 'gaussian' ? (
          <>
            The {family.label}’s graph; focus or hover a node for what it does. A test image flows through the VAE’s graph under the standard normal prior (the
            worked example’s closed-form KL).
          </>
        ) : (
          <>The {family.label}’s graph. Train (or Step) and a test image flows through it, refreshed every 200 steps.</>
        )
      }
    >
      <ImagePicker controller={controller} />
      <DiagramView diagram={family.diagram} flow={flow?.values ?? null} />
    </Panel>
  );
}
