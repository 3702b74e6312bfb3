/**
 * The numbers behind the figures as CSV: the loss history (training and test points with every
 * declared term, the −ELBO, the KL weight and capacity; markers as comments) and the latent
 * codes of the test set (posterior means and log-variances per dimension, with the class).
 * Pure; RFC 4180 quoting where a field needs it.
 */
import { NEGATIVE_ELBO_ID, type LossTermSpec } from '../../core/objective/terms';
import type { LossHistory } from '../history';

function field(value: string | number | undefined): string {
  if (value === undefined || (typeof value === 'number' && Number.isNaN(value))) return '';
  const text = typeof value === 'number' ? String(value) : value;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function row(values: (string | number | undefined)[]): string {
  return values.map(field).join(',');
}

/** step, split (train / test), each term, negative_elbo, kl_weight, capacity. */
export function lossHistoryCsv(history: LossHistory, terms: readonly LossTermSpec[]): string {
  const ids = [...terms.map((t) => t.id), NEGATIVE_ELBO_ID];
  const lines = [
    `# loss history, nats per example (training points are means over the steps since the previous point); columns: ${terms.map((t) => `${t.id} = ${t.meaning}`).join('; ')}`,
    ...history.markers.map((m) => `# marker at step ${m.step}: ${m.kind} ${m.label}`),
    row(['step', 'split', ...terms.map((t) => t.id), 'negative_elbo', 'kl_weight', 'capacity']),
  ];
  const points = [...history.train.map((p) => ({ p, split: 'train' })), ...history.test.map((p) => ({ p, split: 'test' }))].sort((a, b) => a.p.step - b.p.step || a.split.localeCompare(b.split));
  for (const { p, split } of points) lines.push(row([p.step, split, ...ids.map((id) => p.values[id]), p.beta, p.capacity]));
  return `${lines.join('\n')}\n`;
}

export interface LatentCodes {
  step: number;
  count: number;
  latentDim: number;
  mu: Float32Array;
  logVar: Float32Array;
  labels: Uint8Array;
  classNames: readonly string[];
}

/** index, label, class, mu_1…mu_d, logvar_1…logvar_d: one row per test image. */
export function latentCodesCsv(codes: LatentCodes): string {
  const d = codes.latentDim;
  const dims = Array.from({ length: d }, (_, i) => i + 1);
  const lines = [
    `# posterior q(z|x) = N(mu, diag exp(logvar)) of each of the ${codes.count} test images at step ${codes.step}`,
    row(['index', 'label', 'class', ...dims.map((i) => `mu_${i}`), ...dims.map((i) => `logvar_${i}`)]),
  ];
  for (let n = 0; n < codes.count; n++) {
    const label = codes.labels[n];
    const mu = Array.from(codes.mu.subarray(n * d, (n + 1) * d), (v) => Number(v.toPrecision(7)));
    const lv = Array.from(codes.logVar.subarray(n * d, (n + 1) * d), (v) => Number(v.toPrecision(7)));
    lines.push(row([n, label, codes.classNames[label] ?? '', ...mu, ...lv]));
  }
  return `${lines.join('\n')}\n`;
}
