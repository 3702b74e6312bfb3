/** A snapshot card's KL per dimension: one small bar per latent dimension on a scale shared by all cards. */
import { useMemo } from 'react';
import { scaleBand } from 'd3';
import { Axis } from '../../charts/Axis';
import { formatNats, formatNatsBrief, latentLabel } from '../../format';

const HEIGHT = 34;

export function KlStrip({ klPerDim, max, shown, width }: { klPerDim: number[]; max: number; shown: readonly [number, number]; width: number }) {
  const n = klPerDim.length;
  // Bars at most 16 px wide with 1–2 px gaps, centred in the card.
  const x = useMemo(() => {
    const gap = n > 24 ? 1 : 2;
    const bw = n > 0 ? Math.min(16, (width - gap * (n - 1)) / n) : 0;
    const total = n * bw + (n - 1) * gap;
    const x0 = (width - total) / 2;
    return scaleBand<number>(
      Array.from({ length: n }, (_, i) => i),
      [x0, x0 + total],
    ).paddingInner(gap / (bw + gap));
  }, [n, width]);
  const labelled = useMemo(() => x.domain().filter((i) => n <= 12 || i === shown[0] || i === shown[1]), [x, n, shown]);
  const isShown = useMemo(() => (i: number) => (i === shown[0] || i === shown[1] ? 'on' : null), [shown]);
  if (n === 0) return null;
  const scale = max > 0 ? (HEIGHT - 2) / max : 0;
  const sum = klPerDim.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  const bw = x.bandwidth();
  const [x0, x1] = x.range();
  return (
    <section className="snap-section" role="group" aria-label="KL per dimension">
      <h4 className="snap-section-title">
        KL per dimension <span className="snap-section-note">max {formatNatsBrief(max)} nats</span>
      </h4>
      <svg
        className="snap-kl"
        width={width}
        height={HEIGHT + 12}
        role="img"
        aria-label={`KL per dimension, total ${formatNats(sum)} nats: ${klPerDim.map((v, i) => `${latentLabel(i)} ${formatNats(v)}`).join(', ')}`}
      >
        <line className="snap-kl-base" x1={x0 - 2} x2={x1 + 2} y1={HEIGHT + 0.5} y2={HEIGHT + 0.5} />
        {klPerDim.map((v, i) => {
          const bh = Number.isFinite(v) ? Math.max(v > 0 ? 1 : 0, v * scale) : 0;
          return (
            <rect key={i} className={isShown(i) ? 'snap-kl-bar on' : 'snap-kl-bar'} x={x(i)} y={HEIGHT - bh} width={bw} height={bh} rx={Math.min(2, bw / 3)}>
              <title>{`${latentLabel(i)}: ${formatNats(v)} nats`}</title>
            </rect>
          );
        })}
        <Axis orient="bottom" scale={x} ticks={labelled} format={dimNumber} tickPadding={3} tickClass={isShown} transform={`translate(0,${HEIGHT})`} />
      </svg>
    </section>
  );
}

function dimNumber(i: number): string {
  return String(i + 1);
}
