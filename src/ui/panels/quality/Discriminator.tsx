/**
 * Discriminator: what an adversarial family's discriminator says about real test images x, their
 * reconstructions x̃ and prior samples x_p, as three histograms of D over training — one strip
 * each, time to the right, D from 0 (bottom) to 1 (top), darker where more images fall.
 */
import { useLayoutEffect, useRef } from 'react';
import type { DiscriminatorReport } from '../../../state/quality/state';
import { fmt, formatCount } from '../../format';
import { Panel } from '../../components/Panel';

type Kind = keyof DiscriminatorReport['histograms'];
const KINDS: { id: Kind; label: string; symbol: string; rgb: [number, number, number] }[] = [
  { id: 'real', label: 'real images', symbol: 'D(x)', rgb: [31, 119, 180] },
  { id: 'reconstructions', label: 'reconstructions', symbol: 'D(x̃)', rgb: [214, 120, 30] },
  { id: 'priorSamples', label: 'prior samples', symbol: 'D(x_p)', rgb: [150, 60, 160] },
];
const WIDTH = 240;
const HEIGHT = 80;

function Strip({ history, kind, rgb }: { history: readonly DiscriminatorReport[]; kind: Kind; rgb: [number, number, number] }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(WIDTH * dpr);
    canvas.height = Math.round(HEIGHT * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#f6f7fa';
    ctx.fillRect(0, 0, WIDTH, HEIGHT);
    const columns = history.length;
    if (columns === 0) return;
    const w = WIDTH / columns;
    history.forEach((report, c) => {
      const bins = report.histograms[kind];
      const h = HEIGHT / bins.length;
      const peak = Math.max(...bins, 1e-9);
      bins.forEach((share, b) => {
        if (share <= 0) return;
        ctx.fillStyle = `rgba(${rgb[0]}, ${rgb[1]}, ${rgb[2]}, ${(0.15 + 0.85 * (share / peak)).toFixed(3)})`;
        ctx.fillRect(c * w, HEIGHT - (b + 1) * h, Math.ceil(w), Math.ceil(h));
      });
    });
  }, [history, kind, rgb]);
  return <canvas ref={ref} style={{ width: WIDTH, height: HEIGHT }} className="disc-strip" />;
}

export function Discriminator({ history, latest }: { history: readonly DiscriminatorReport[]; latest: DiscriminatorReport | null }) {
  const caption = latest ? (
    <>
      D(x) is the discriminator&rsquo;s probability that an image is real. At step {formatCount(latest.step)}, on {latest.count} test images: mean D(x) <b>{fmt(latest.means.real, 2)}</b>, on their reconstructions D(x̃){' '}
      <b>{fmt(latest.means.reconstructions, 2)}</b>, on samples from the prior D(x_p) <b>{fmt(latest.means.priorSamples, 2)}</b>. At ½ everywhere it cannot tell; D(x_p) near 0 means it wins and the decoder&rsquo;s
      adversarial gradient fades.
    </>
  ) : (
    'The discriminator’s outputs appear with the first report of the latent space.'
  );
  return (
    <Panel title="Discriminator" className="quality-discriminator" caption={caption}>
      <div className="disc-strips" data-reports={history.length}>
        {KINDS.map((k) => (
          <figure key={k.id} className="disc-figure" aria-label={`${k.symbol} on ${k.label} over training`} data-mean={latest ? latest.means[k.id].toFixed(4) : ''}>
            <figcaption>
              {k.symbol}, {k.label}
            </figcaption>
            <div className="disc-axes">
              <span className="disc-tick-top">1</span>
              <Strip history={history} kind={k.id} rgb={k.rgb} />
              <span className="disc-tick-bottom">0</span>
            </div>
          </figure>
        ))}
      </div>
    </Panel>
  );
}
