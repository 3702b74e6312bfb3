/**
 * The "Model diagram" region: the current family's declared graph (catalog → diagram) with the
 * chosen test image flowing through it, refreshed while training.
 */
import { gaussianFlow } from '../../../core/explain/workedExample';
import { FAMILIES } from '../../../core/models/catalog';
import type { Controller } from '../../../state/controller';
import { explainsLive } from '../../../state/explain/explainer';
import { Panel } from '../../components/Panel';
import { formatStep } from '../../format';
import { useStore } from '../../hooks/useStore';
import { DiagramView } from './DiagramView';
import { ImagePicker } from './ImagePicker';

export function ModelDiagram({ controller }: { controller: Controller }) {
  const familyId = useStore(controller.store, (s) => s.settings.model);
  const live = useStore(controller.store, (s) => explainsLive(s.settings));
  const result = useStore(controller.explainer.store, (s) => s.result);
  const family = FAMILIES[familyId];
  // the Gaussian families' flow; a family with another latent declares its own keys and flow
  const flow = result && live ? gaussianFlow(result.image, result.example, result.extras) : null;
  return (
    <Panel
      title="Model diagram"
      className="panel-diagram"
      caption={
        !live ? (
          <>
            The {family.label}’s graph; focus or hover a node for what it does. A test image flows through the VAE’s graph under the standard normal prior (the
            worked example’s closed-form KL).
          </>
        ) : flow && result ? (
          <>
            The {family.label} at step <b>{formatStep(result.step)}</b>: the chosen image goes through the encoder to μ and log σ², a draw z = μ + σ ⊙ ε goes
            through the decoder, and the loss adds the reconstruction term and β times the KL{result.extras ? '; the other terms are the model’s losses for the same image and ε' : ''}. The bars show the
            first dimensions (a full bar is ±2.5).
          </>
        ) : (
          <>The {family.label}’s graph. Train (or Step) and a test image flows through it, refreshed every 200 steps.</>
        )
      }
    >
      <ImagePicker controller={controller} />
      <DiagramView diagram={family.diagram} flow={flow} />
    </Panel>
  );
}
