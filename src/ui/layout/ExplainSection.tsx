/**
 * The model explained on a real image: the family's diagram with the chosen test image flowing
 * through it, and the worked example of the same numbers. Shown for every family; the worked
 * example only for those that declare it (a Gaussian latent).
 */
import { memo } from 'react';
import { FAMILIES } from '../../core/models/catalog';
import type { Controller } from '../../state/controller';
import { useStore } from '../hooks/useStore';
import { ModelDiagram as ModelDiagramPanel } from '../panels/explain/ModelDiagram';
import { WorkedExample as WorkedExamplePanel } from '../panels/explain/WorkedExample';
import '../panels/explain/explain.css';

const ModelDiagram = memo(ModelDiagramPanel);
const WorkedExample = memo(WorkedExamplePanel);

export function ExplainSection({ controller }: { controller: Controller }) {
  const familyId = useStore(controller.store, (s) => s.settings.model);
  const worked = (FAMILIES[familyId].panels as readonly string[]).includes('workedExample');
  return (
    <div className="explain-grid">
      <ModelDiagram controller={controller} />
      {worked ? <WorkedExample controller={controller} /> : null}
    </div>
  );
}
