/**
 * The VQ-VAE's part of the benchmark (npm run bench -- --model vqvae [--codes 64] [--code-dim 16]
 * [--restart on] [--vq-update ema]): the page's query for the family's settings, the reference's
 * arguments (run.sh --arch vq, same K, D, seed and epochs), and the per-epoch comparison of the
 * test set's reconstruction term, VQ term (codebook + β_c·commitment, as the reference's test_vq),
 * perplexity of the code usage and codes in use.
 */

/** exp(entropy) of a usage histogram (counts or fractions), as core/analysis/codebook.ts computes it. */
export function perplexity(usage) {
  const total = usage.reduce((s, u) => s + (u > 0 ? u : 0), 0);
  if (!(total > 0)) return 0;
  return Math.exp(-usage.reduce((s, u) => (u > 0 ? s + (u / total) * Math.log(u / total) : s), 0));
}

export const VQ_OPTIONS = {
  codes: { type: 'string', default: '64' },
  'code-dim': { type: 'string', default: '16' },
  restart: { type: 'string', default: 'off' },
  'vq-update': { type: 'string', default: 'gradient' },
};

/** The bench page's query for the VQ-VAE's settings (their URL keys in the settings schema). */
export function vqQuery(args) {
  return { model: 'vqvae', codes: args.codes, codedim: args['code-dim'], restart: args.restart, vqupdate: args['vq-update'] };
}

export function vqReferenceArgs(args) {
  return ['--arch', 'vq', '--codes', args.codes, '--code-dim', args['code-dim'], '--epochs', args.epochs, '--seed', args.seed];
}

export function vqModelName(args) {
  return `VQ-VAE K = ${args.codes}, D = ${args['code-dim']}, codebook by ${args['vq-update']}, dead-code restart ${args.restart}`;
}

/** Our figures of one evaluation, in the reference's terms. */
export function vqFigures(test) {
  const usage = test.codeUsage ?? [];
  return {
    reconstruction: test.terms.reconstruction,
    vq: test.terms.codebook + test.terms.commitment,
    perplexity: perplexity(usage),
    codesUsed: usage.filter((u) => u > 0).length,
  };
}

export function printVqComparison(results, args) {
  const refEpochs = (results.reference?.epochs ?? []).filter((e) => e.event === 'epoch');
  const refSummary = (results.reference?.epochs ?? []).find((e) => e.event === 'summary');
  console.log(`\n${vqModelName(args)}: test set, nats per example (VQ = codebook + 0.25·commitment)`);
  console.log('epoch  who        recon      VQ   perplexity  codes used   steps/s');
  const rows = [];
  for (const [name, r] of Object.entries(results.backends)) {
    for (const e of r.epochs ?? []) {
      const f = vqFigures(e.test);
      rows.push({ epoch: e.epoch, name, ...f, sps: e.stepsPerSecond });
    }
  }
  for (const e of refEpochs) rows.push({ epoch: e.epoch, name: 'pytorch', reconstruction: e.test_bce, vq: e.test_vq, perplexity: e.perplexity, codesUsed: e.codes_used, sps: e.steps_per_s });
  rows.sort((a, b) => a.epoch - b.epoch || (a.name === 'pytorch' ? 1 : -1));
  for (const r of rows) {
    const fmt = (v, d) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '–');
    console.log(`${String(r.epoch).padStart(5)}  ${r.name.padEnd(8)} ${fmt(r.reconstruction, 2).padStart(7)} ${fmt(r.vq, 2).padStart(7)} ${fmt(r.perplexity, 2).padStart(12)} ${`${r.codesUsed ?? '–'} / ${args.codes}`.padStart(11)} ${fmt(r.sps, 1).padStart(9)}`);
  }
  const first = Object.entries(results.backends)[0];
  if (first && refSummary) {
    const [name, r] = first;
    console.log(`\n${name}: ${(r.medianStepsPerSecond / refSummary.steps_per_s).toFixed(2)}× PyTorch's steps/s (median ${r.medianStepsPerSecond.toFixed(1)} vs ${refSummary.steps_per_s})`);
    for (const e of r.epochs ?? []) {
      const ref = refEpochs.find((x) => x.epoch === e.epoch);
      if (!ref) continue;
      const f = vqFigures(e.test);
      console.log(`  epoch ${e.epoch}: reconstruction Δ ${(f.reconstruction - ref.test_bce).toFixed(2)} nats, perplexity ${f.perplexity.toFixed(2)} vs ${ref.perplexity}, codes ${f.codesUsed} vs ${ref.codes_used}`);
    }
  }
}
