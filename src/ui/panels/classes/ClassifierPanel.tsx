/**
 * How much class information the model holds, as a test accuracy over training: M2's own
 * classifier q(y|x) trained with a few labels, or M1's read-out of the plain VAE — a k-NN on its
 * posterior means with the same labelled images (Kingma et al. 2014). The paper's M2 reaches 88.0%
 * with 100 labels on MNIST (11.97% error).
 */
import type { ClassifierReport } from '../../../state/appState';
import { Panel } from '../../components/Panel';
import './classes.css';

export interface ClassifierPanelProps {
  latest: ClassifierReport | null;
  history: { step: number; accuracy: number }[];
}

const NUMBER = new Intl.NumberFormat('en-US');
const W = 320;
const H = 90;

export function ClassifierPanel({ latest, history }: ClassifierPanelProps) {
  const m2 = latest?.method === 'm2';
  const last = history.at(-1)?.step ?? 1;
  const points = history.map((p) => `${((p.step / Math.max(1, last)) * W).toFixed(1)},${(H - p.accuracy * H).toFixed(1)}`).join(' ');
  const caption = latest ? (
    m2 ? (
      <>
        M2&rsquo;s classifier q(y|x), trained on {NUMBER.format(latest.labelled)} labelled images (the rest count as unlabelled: their class is inferred
        and summed out of the bound), tested on {NUMBER.format(latest.testCount)} test images. Kingma et al. (2014) report 88.0% with 100 labels.
      </>
    ) : (
      <>
        M1: a {5}-nearest-neighbour classifier on this VAE&rsquo;s posterior means, with {NUMBER.format(latest.labelled)} labelled training images,
        tested on {NUMBER.format(latest.testCount)} test images — how much class information the unsupervised latent space holds. Compare with
        Model &ldquo;Semi-supervised (M2)&rdquo; and the same labels.
      </>
    )
  ) : (
    <>The classifier&rsquo;s test accuracy appears with the next report on the latent space.</>
  );
  return (
    <Panel title="Classifier" className="classifier-panel" caption={caption}>
      {latest ? (
        <div className="classifier-body">
          <div className="classifier-figure">
            <span className="classifier-accuracy" role="status" aria-label="Classifier test accuracy">
              {(100 * latest.accuracy).toFixed(1)}%
            </span>
            <span className="classifier-meta">
              {m2 ? 'M2 q(y|x)' : 'M1 k-NN on E[q(z|x)]'} · {NUMBER.format(latest.labelled)} labels · step {NUMBER.format(latest.step)}
            </span>
          </div>
          <svg className="classifier-chart" viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" aria-hidden="true">
            <line x1={0} x2={W} y1={H - 0.88 * H} y2={H - 0.88 * H} className="classifier-anchor" />
            <line x1={0} x2={W} y1={H - 0.1 * H} y2={H - 0.1 * H} className="classifier-chance" />
            {history.length > 1 ? <polyline points={points} /> : null}
          </svg>
          <div className="classifier-legend" aria-hidden="true">
            <span>— test accuracy</span> <span className="anchor">- - 88% (paper, M2, 100 labels)</span> <span className="chance">- - chance</span>
          </div>
        </div>
      ) : (
        <div className="panel-empty">Waiting for the first report…</div>
      )}
    </Panel>
  );
}
