/**
 * The bench's --profile N: where a training step's time goes. The bench page trains 300 steps on
 * wasm, then the worker times N steps plainly (wall time) and N more under tf.profile (each
 * kernel's own time); this prints the kernels by group and what a step spends outside them (tfjs's
 * dispatch and tape, our JS): wall − Σ kernels.
 */

export const PROFILE_OPTIONS = { profile: { type: 'string', default: '0' } };

/** The query for the bench page: train `warm` steps, then profile. */
export function profileQuery(args, warm = 300) {
  return { steps: String(warm), profile: args.profile };
}

/** Print a profile (BenchResult.profile) by group, then its ten costliest kernels. */
export function printProfile(profile, error) {
  if (!profile) return console.log(`  no profile${error ? `: ${error}` : ''}`);
  const { wallMsPerStep: wall, kernels } = profile;
  const groups = new Map();
  for (const k of kernels) {
    const g = groups.get(k.group) ?? { ms: 0, calls: 0 };
    g.ms += k.msPerStep;
    g.calls += k.callsPerStep;
    groups.set(k.group, g);
  }
  const inKernels = kernels.reduce((s, k) => s + k.msPerStep, 0);
  const calls = kernels.reduce((s, k) => s + k.callsPerStep, 0);
  const pct = (ms) => `${((100 * ms) / wall).toFixed(0)} %`.padStart(6);
  console.log(`  a step: ${wall.toFixed(2)} ms wall (${(1000 / wall).toFixed(1)} steps/s unprofiled), ${calls.toFixed(0)} kernel launches`);
  console.log(`  ${'group'.padEnd(28)} ${'ms/step'.padStart(8)} ${'share'.padStart(6)} ${'launches'.padStart(9)}`);
  for (const [name, g] of [...groups].sort((a, b) => b[1].ms - a[1].ms)) {
    console.log(`  ${name.padEnd(28)} ${g.ms.toFixed(2).padStart(8)} ${pct(g.ms)} ${g.calls.toFixed(0).padStart(9)}`);
  }
  const outside = Math.max(0, wall - inKernels);
  console.log(`  ${'outside the kernels'.padEnd(28)} ${outside.toFixed(2).padStart(8)} ${pct(outside)}`);
  if (profile.byShape?.length) {
    console.log('  costliest kernels by input shapes:');
    for (const k of profile.byShape.slice(0, 12)) {
      console.log(`    ${k.name.padEnd(20)} ${k.msPerStep.toFixed(3).padStart(8)} ms ${pct(k.msPerStep)} ${k.callsPerStep.toFixed(0).padStart(4)}×  ${k.shapes}`);
    }
  }
  console.log('  costliest kernels:');
  for (const k of kernels.slice(0, 12)) {
    console.log(`    ${k.name.padEnd(26)} ${k.msPerStep.toFixed(3).padStart(8)} ms ${pct(k.msPerStep)} ${k.callsPerStep.toFixed(0).padStart(5)} calls   (${k.group})`);
  }
}
