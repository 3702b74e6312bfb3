/**
 * The loss chart's legend: one toggle per curve (a term or −ELBO, named from its declaration), the
 * KL weight β(t) and the capacity C(t) when drawn, and a key to the line styles (train, test).
 */
import { Fragment, type ReactNode } from 'react';
import type { LossSeries } from './series';

export const BETA_LABEL = 'KL weight β(t)';
export const CAPACITY_LABEL = 'capacity C(t)';

/** A formula with its subscripts set: "−E_q[log p(x|z)]" → −E<sub>q</sub>[log p(x|z)]. */
export function Formula({ text }: { text: string }): ReactNode {
  const parts = text.split(/_(\{[^}]*\}|[^\s{[(])/);
  return parts.map((part, i) =>
    i % 2 === 0 ? <Fragment key={i}>{part}</Fragment> : <sub key={i}>{part.replace(/^\{|\}$/g, '')}</sub>,
  );
}

export interface LossLegendProps {
  series: readonly LossSeries[];
  hidden: ReadonlySet<string>;
  onToggle(id: string): void;
  showBeta: boolean;
  showCapacity: boolean;
}

export function LossLegend({ series, hidden, onToggle, showBeta, showCapacity }: LossLegendProps) {
  return (
    <div className="lc-legend">
      {series.map((s) => {
        const on = !hidden.has(s.id);
        return (
          <button
            key={s.id}
            type="button"
            className="lc-legend-item"
            aria-pressed={on}
            title={`${on ? 'Hide' : 'Show'} ${s.name}: ${s.meaning}`}
            onClick={() => onToggle(s.id)}
          >
            <svg width="18" height="10" aria-hidden="true">
              <line x1="1" x2="17" y1="5" y2="5" style={{ stroke: s.color }} />
            </svg>
            <span className="lc-legend-name">
              <Formula text={s.legendName} />
            </span>
            {s.legendMath ? (
              <>
                {' '}
                <span className="lc-legend-math">
                  <Formula text={s.legendMath} />
                </span>
              </>
            ) : null}
          </button>
        );
      })}
      {showBeta ? (
        <span className="lc-legend-extra" title="The weight of the KL term in force at each step (right axis)">
          <svg width="18" height="10" aria-hidden="true">
            <path className="lc-key-beta" d="M1 8 H7 V2 H17" />
          </svg>
          <span className="lc-legend-name">{BETA_LABEL}</span> <span className="lc-legend-math">right axis</span>
        </span>
      ) : null}
      {showCapacity ? (
        <span className="lc-legend-extra" title="Capacity annealing: the KL value the objective pulls towards, in nats">
          <svg width="18" height="10" aria-hidden="true">
            <line className="lc-key-capacity" x1="2" x2="17" y1="5" y2="5" />
          </svg>
          <span className="lc-legend-name">{CAPACITY_LABEL}</span> <span className="lc-legend-math">KL target</span>
        </span>
      ) : null}
      <span className="lc-legend-styles" aria-label="Solid lines: training, smoothed, with raw averages faint. Dashed with dots: test set.">
        <span className="lc-style">
          <svg width="22" height="10" aria-hidden="true">
            <path className="lc-key-raw" d="M1 6 L5 3 L8 7 L12 2 L15 6 L18 4 L21 6" />
            <line className="lc-key-train" x1="1" x2="21" y1="5" y2="5" />
          </svg>
          train
        </span>
        <span className="lc-style">
          <svg width="22" height="10" aria-hidden="true">
            <line className="lc-key-test" x1="1" x2="21" y1="5" y2="5" />
            <circle className="lc-key-dot" cx="11" cy="5" r="2.4" />
          </svg>
          test
        </span>
      </span>
    </div>
  );
}
