/**
 * The model explained on a real image: the family's diagram with the chosen test image flowing
 * through it, and the worked example of the same numbers. Shown for every family; the worked
 * example only where it applies (explainsLive: a Gaussian latent under the standard normal prior).
 */
import { memo } from 'react';
import type { Controller } from '../../state/controller';
import { explainsLive } from '../../state/explain/explainer';
import { useStore } from '../hooks/useStore';
import { ModelDiagram as ModelDiagramPanel } from '../panels/explain/ModelDiagram';
import { WorkedExample as WorkedExamplePanel } from '../panels/explain/WorkedExample';
import '../panels/explain/explain.css';

const ModelDiagram = memo(ModelDiagramPanel);
const WorkedExample = memo(WorkedExamplePanel);

export function ExplainSection({ controller }: { controller: Controller }) {
  const worked = useStore(controller.store, (s) => explainsLive(s.settings));
  return (
    <div className="explain-grid">
      <ModelDiagram controller={controller} />
      {worked ? <WorkedExample controller={controller} /> : null}
    </div>
  );
}
