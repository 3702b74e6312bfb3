/**
 * The "Worked example" region: the seeds' full example for the chosen test image, every number
 * computed by the model in the worker (core/explain/workedExample.ts): μ, log σ², σ, a drawn ε,
 * z = μ + σ ⊙ ε, the reconstruction term, the KL per dimension with its closed form written out
 * with the values, and the gradients of the loss with respect to μ and log σ² at that z beside
 * ∂z/∂μ = 1 and ∂z/∂log σ² = ½ σ ε.
 */
import { useState, type ReactNode } from 'react';
import { formatNumber, mi, mtext, row, sub, sup, frac, mn, type MathNode } from '../../../core/explain/math';
import { gradientsSubstituted, klDimensionSubstituted, klTotalSubstituted, reparameterisationSubstituted } from '../../../core/explain/formulas';
import type { WorkedExample as Example } from '../../../core/explain/workedExample';
import type { Controller } from '../../../state/controller';
import { Panel } from '../../components/Panel';
import { formatStep } from '../../format';
import { useStore } from '../../hooks/useStore';
import { Formula, MathView } from '../../math/MathView';

/** Dimensions shown before "All dimensions". */
const FIRST_DIMS = 4;

const partialOf = (top: MathNode | string, bottom: MathNode | string) => frac(row('∂', top), row('∂', bottom));
const logVarSym = row('log', sup('σ', mn(2)));
const COLUMNS: { key: keyof Example; head: MathNode; title: string }[] = [
  { key: 'mu', head: mi('μ'), title: 'posterior mean μ' },
  { key: 'logVar', head: logVarSym, title: 'posterior log-variance log σ²' },
  { key: 'sigma', head: mi('σ'), title: 'σ = exp(½ log σ²)' },
  { key: 'epsilon', head: mi('ε'), title: 'the drawn noise ε' },
  { key: 'z', head: mi('z'), title: 'z = μ + σ ε' },
  { key: 'klPerDim', head: sub('KL', 'j'), title: 'KL of this dimension, nats' },
  { key: 'gradZ', head: partialOf(sub('L', mtext('rec')), 'z'), title: '∂L_rec/∂z' },
  { key: 'gradMu', head: partialOf('L', 'μ'), title: '∂L/∂μ' },
  { key: 'gradLogVar', head: partialOf('L', logVarSym), title: '∂L/∂log σ²' },
];

function NumbersTable({ example, dims }: { example: Example; dims: number }) {
  return (
    <div className="worked-table-wrap">
      <table className="worked-table num">
        <thead>
          <tr>
            <th scope="col">j</th>
            {COLUMNS.map((c) => (
              <th key={c.key} scope="col" title={c.title}>
                <MathView math={c.head} />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: dims }, (_, j) => (
            <tr key={j} data-dim={j}>
              <th scope="row">{j + 1}</th>
              {COLUMNS.map((c) => (
                <td key={c.key} data-column={c.key}>
                  {formatNumber((example[c.key] as Float32Array)[j], 4)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Step({ n, title, children }: { n: number; title: string; children: ReactNode }) {
  return (
    <li className="worked-step">
      <h3>
        <span className="worked-step-n">{n}</span> {title}
      </h3>
      {children}
    </li>
  );
}

function Derivation({ example }: { example: Example }) {
  const e = example;
  const grads = gradientsSubstituted(e.gradZ[0], e.mu[0], e.sigma[0], e.epsilon[0], e.beta);
  const dzdl = 0.5 * e.sigma[0] * e.epsilon[0];
  return (
    <ol className="worked-steps">
      <Step n={1} title="Encode, then draw">
        <p>
          The encoder gives μ and log σ² (table); <Formula id="sigma" />. With <Formula id="epsilon" />, the sample is <Formula id="reparameterisation" />; in dimension 1:
        </p>
        <MathView block math={row(sub('z', mn(1)), '=', reparameterisationSubstituted(e.mu[0], e.sigma[0], e.epsilon[0], e.z[0]))} />
      </Step>
      <Step n={2} title="Reconstruction term">
        <p>
          The decoder draws x̂ from z; for this image <MathView math={row(sub('L', mtext('rec')), '=', '−', 'log', 'p', '(', 'x', '|', 'z', ')', '=', mn(e.reconstruction, 5))} /> nats.
        </p>
        <Formula id="reconstruction" block />
      </Step>
      <Step n={3} title="KL term, in closed form">
        <Formula id="klGaussian" block />
        {Array.from({ length: Math.min(FIRST_DIMS, e.latentDim) }, (_, j) => (
          <MathView key={j} block math={klDimensionSubstituted(j + 1, e.mu[j], e.logVar[j], e.klPerDim[j])} className="worked-substituted" />
        ))}
        <MathView block math={klTotalSubstituted(e.klPerDim, FIRST_DIMS, e.kl)} className="worked-substituted" />
        <p>
          So the loss is <MathView math={row('L', '=', mn(e.reconstruction, 5), '+', mn(e.beta, 3), '·', mn(e.kl, 4), '=', mn(e.loss, 5))} /> (β = {formatNumber(e.beta, 3)}, the β training uses now).
        </p>
      </Step>
      <Step n={4} title="Gradients through the sample">
        <p>
          ε is held fixed, so z is an ordinary function of μ and log σ²: <Formula id="dzdmu" /> and <Formula id="dzdlogvar" />; in dimension 1 that is{' '}
          <MathView math={row(half(), '·', mn(e.sigma[0], 3), '·', mn(e.epsilon[0], 3, true), '=', mn(dzdl, 4))} />. With the chain rule:
        </p>
        <Formula id="gradMu" block />
        <MathView block math={row(sub(partialOf('L', 'μ'), mn(1)), '=', grads.mu)} />
        <Formula id="gradLogVar" block />
        <MathView block math={row(sub(partialOf('L', logVarSym), mn(1)), '=', grads.logVar)} />
        <p className="worked-note">The table’s gradients come from automatic differentiation (tf.grads) through the decoder; the chain rule above rebuilds them from ∂L_rec/∂z.</p>
      </Step>
    </ol>
  );
}

function half(): MathNode {
  return frac(mn(1), mn(2));
}

export function WorkedExample({ controller }: { controller: Controller }) {
  const result = useStore(controller.explainer.store, (s) => s.result);
  const error = useStore(controller.explainer.store, (s) => s.error);
  const [all, setAll] = useState(false);
  const example = result?.example ?? null;
  const dims = example ? (all ? example.latentDim : Math.min(FIRST_DIMS, example.latentDim)) : 0;
  return (
    <Panel
      title="Worked example"
      className="panel-worked"
      tools={
        <>
          <button type="button" onClick={() => controller.explainer.drawAnotherEpsilon()} disabled={!example}>
            Draw another ε
          </button>
          <button type="button" aria-pressed={all} onClick={() => setAll(!all)} disabled={!example || example.latentDim <= FIRST_DIMS}>
            All dimensions
          </button>
        </>
      }
      caption={
        result ? (
          <>
            Every number computed by the model for the chosen test image at step <b>{formatStep(result.step)}</b>
            {example && example.latentDim > dims ? `, first ${dims} of ${example.latentDim} dimensions` : ''}. Draw another ε: z and the gradients change, μ and log σ² do not.
          </>
        ) : (
          'The reparameterisation trick in numbers, for one test image: train or step to see them.'
        )
      }
    >
      {error ? <p className="panel-error">{error}</p> : null}
      {example ? (
        // one scroll container, reachable by keyboard, for a narrow window
        <div className="worked" tabIndex={0} role="group" aria-label="The numbers and their derivation">
          <NumbersTable example={example} dims={dims} />
          <Derivation example={example} />
        </div>
      ) : (
        <div className="panel-empty">Waiting for the first latents…</div>
      )}
    </Panel>
  );
}
