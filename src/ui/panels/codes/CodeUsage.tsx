/**
 * Code usage: a histogram of how often each code was chosen over the latest steps' batches, the
 * perplexity of that usage (exp of its entropy: K for even use, 1 for one code) and the codes in
 * use, live, and both over training, where a dead-code restart shows as a jump.
 */
import { useLayoutEffect, useMemo, useRef } from 'react';
import { codesInUse, perplexity } from '../../../core/analysis/codebook';
import type { Controller } from '../../../state/controller';
import { CODES_IN_USE_ID, PERPLEXITY_ID } from '../../../state/history';
import { prepareCanvas } from '../../charts/canvas';
import { Panel } from '../../components/Panel';
import { useStore } from '../../hooks/useStore';
import './codes.css';

const WIDTH = 300;
const HISTOGRAM_HEIGHT = 70;
const CURVE_HEIGHT = 150;
/** Room above the curves for the scale's label, and below for the steps. */
const CURVE_TOP = 18;
const CURVE_BOTTOM = 14;

function paintHistogram(canvas: HTMLCanvasElement, usage: readonly number[]): void {
  const prepared = prepareCanvas(canvas, WIDTH, HISTOGRAM_HEIGHT);
  if (!prepared) return;
  const { ctx } = prepared;
  ctx.clearRect(0, 0, WIDTH, HISTOGRAM_HEIGHT);
  const top = Math.max(...usage, 1e-12);
  const w = WIDTH / Math.max(1, usage.length);
  ctx.fillStyle = '#4f9a3a';
  usage.forEach((u, k) => {
    const h = (u / top) * (HISTOGRAM_HEIGHT - 2);
    ctx.fillRect(k * w, HISTOGRAM_HEIGHT - h, Math.max(1, w - (w > 3 ? 1 : 0)), h);
  });
  ctx.fillStyle = '#e2e5eb';
  ctx.fillRect(0, HISTOGRAM_HEIGHT - 1, WIDTH, 1);
}

interface Curve {
  steps: number[];
  perplexity: number[];
  inUse: number[];
}

function polyline(steps: number[], values: number[], x0: number, x1: number, top: number): string {
  const span = x1 - x0 || 1;
  return steps.map((s, i) => `${(((s - x0) / span) * WIDTH).toFixed(1)},${(CURVE_HEIGHT - CURVE_BOTTOM - (values[i] / top) * (CURVE_HEIGHT - CURVE_BOTTOM - CURVE_TOP)).toFixed(1)}`).join(' ');
}

export function CodeUsage({ controller }: { controller: Controller }) {
  const usage = useStore(controller.store, (s) => s.training.latest?.codeUsage ?? null);
  const train = useStore(controller.store, (s) => s.history.train);
  const K = useStore(controller.store, (s) => s.codes?.codebookSize ?? s.settings.codes);
  const ref = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    if (ref.current && usage) paintHistogram(ref.current, usage);
  }, [usage]);
  const curve = useMemo<Curve>(() => {
    const points = train.filter((p) => p.values[PERPLEXITY_ID] !== undefined);
    return { steps: points.map((p) => p.step), perplexity: points.map((p) => p.values[PERPLEXITY_ID]), inUse: points.map((p) => p.values[CODES_IN_USE_ID]) };
  }, [train]);
  const nowPerplexity = usage ? perplexity(usage) : null;
  const nowInUse = usage ? codesInUse(usage) : null;
  const top = Math.max(K, 1);
  const x0 = curve.steps[0] ?? 0;
  const x1 = curve.steps[curve.steps.length - 1] ?? 1;
  return (
    <Panel
      title="Code usage"
      caption="How often each code was chosen in the latest training batches. Perplexity = exp(entropy of that usage): K when every code is used equally, 1 when one code takes every position. Codes no position chooses are dead: Restart dead codes moves them onto encoder outputs."
    >
      {usage ? (
        <div className="code-usage">
          <p className="code-usage-figures" aria-live="polite">
            <span data-testid="perplexity">Perplexity {nowPerplexity?.toFixed(1)}</span>
            <span data-testid="codes-in-use">
              codes in use {nowInUse} / {usage.length}
            </span>
          </p>
          <canvas ref={ref} role="img" aria-label={`Usage of each of ${usage.length} codes`} />
          <svg className="code-usage-curve" width={WIDTH} height={CURVE_HEIGHT} role="img" aria-label="Perplexity and codes in use over training">
            <line x1={0} x2={WIDTH} y1={CURVE_HEIGHT - CURVE_BOTTOM} y2={CURVE_HEIGHT - CURVE_BOTTOM} className="axis" />
            <line x1={0} x2={WIDTH} y1={CURVE_TOP} y2={CURVE_TOP} className="axis top" />
            <polyline points={polyline(curve.steps, curve.inUse, x0, x1, top)} className="in-use" />
            <polyline points={polyline(curve.steps, curve.perplexity, x0, x1, top)} className="perplexity" />
            <text x={0} y={CURVE_HEIGHT - 2}>step {x0.toLocaleString()}</text>
            <text x={WIDTH} y={CURVE_HEIGHT - 2} textAnchor="end">
              {x1.toLocaleString()}
            </text>
            <text x={0} y={11}>over training, on a scale of 0 to K = {top}</text>
          </svg>
          <p className="code-usage-legend">
            <span className="swatch perplexity" /> perplexity <span className="swatch in-use" /> codes in use
          </p>
        </div>
      ) : (
        <div className="panel-empty">Code usage appears once training reports.</div>
      )}
    </Panel>
  );
}
