/** The backend race with a fake clock: who wins, by how much, who drops out, and when there is no race. */
import { describe, expect, it } from 'vitest';
import { raceBackends, raceDecision, raceSkipReason, type RaceEntrant } from '../../src/worker/backendRace';
import { isSoftwareRenderer } from '../../src/worker/backend';
import type { BackendName } from '../../src/worker/protocol';

/** A clock that only moves when an entrant's step says so. */
function fakeRace(costs: Partial<Record<BackendName, { warmUp: number; step: number; fails?: 'enter' | 'step' }>>) {
  const clock = { t: 0, now: () => clock.t };
  const calls: string[] = [];
  const entrants: RaceEntrant[] = (Object.keys(costs) as BackendName[]).map((name) => {
    const c = costs[name] as { warmUp: number; step: number; fails?: 'enter' | 'step' };
    let steps = 0;
    return {
      name,
      enter: async () => {
        calls.push(`enter ${name}`);
        return c.fails !== 'enter';
      },
      step: async () => {
        if (c.fails === 'step' && steps > 3) throw new Error('lost context');
        clock.t += steps === 0 ? c.warmUp : c.step;
        steps += 1;
      },
    };
  });
  return { clock, calls, entrants };
}

describe('the backend race', () => {
  it('picks the faster backend and says by how much; the warm-up (shader compilation) is not timed', async () => {
    const { clock, entrants, calls } = fakeRace({ webgl: { warmUp: 2000, step: 5 }, wasm: { warmUp: 20, step: 15.5 } });
    const result = await raceBackends(entrants, clock, 40);
    expect(calls).toEqual(['enter webgl', 'enter wasm']);
    expect(result?.msPerStep).toEqual({ webgl: 5, wasm: 15.5 });
    expect(result?.winner).toBe('webgl');
    expect(result?.reason).toBe('webgl: 3.1× wasm in a 40-step race (5.0 vs 15.5 ms per step)');
  });

  it('keeps wasm when it is faster (a weak GPU)', async () => {
    const { clock, entrants } = fakeRace({ webgl: { warmUp: 1500, step: 30 }, wasm: { warmUp: 20, step: 12 } });
    const result = await raceBackends(entrants, clock, 10);
    expect(result?.winner).toBe('wasm');
    expect(result?.reason).toMatch(/^wasm: 2\.5× webgl in a 10-step race/);
  });

  it('drops an entrant that cannot start or fails mid-race', async () => {
    const a = fakeRace({ webgl: { warmUp: 100, step: 1, fails: 'enter' }, wasm: { warmUp: 20, step: 12 } });
    expect((await raceBackends(a.entrants, a.clock, 10))?.reason).toBe('wasm: the only backend that started in a 10-step race');
    const b = fakeRace({ webgl: { warmUp: 100, step: 1, fails: 'step' }, wasm: { warmUp: 20, step: 12 } });
    const result = await raceBackends(b.entrants, b.clock, 10);
    expect(result?.winner).toBe('wasm');
    expect(result?.msPerStep.webgl).toBeUndefined();
    const c = fakeRace({ webgl: { warmUp: 1, step: 1, fails: 'enter' } });
    expect(await raceBackends(c.entrants, c.clock, 10)).toBeNull();
  });

  it('decides on measured, positive times only', () => {
    expect(raceDecision({}, 40)).toBeNull();
    expect(raceDecision({ webgl: Number.NaN, wasm: 0 }, 40)).toBeNull();
    expect(raceDecision({ webgl: 8, cpu: 80, wasm: 10 }, 40)?.reason).toBe('webgl: 1.3× wasm in a 40-step race (8.0 vs 10.0 ms per step)');
  });

  it('is skipped on a software renderer or without WebGL2, and the reason says so', () => {
    expect(raceSkipReason('Google SwiftShader', isSoftwareRenderer)).toBe(
      'no backend race: WebGL runs on a software renderer here (Google SwiftShader), slower than WebAssembly on the same CPU',
    );
    expect(raceSkipReason('llvmpipe (LLVM 15.0.6, 256 bits)', isSoftwareRenderer)).toMatch(/^no backend race: WebGL runs on a software renderer/);
    expect(raceSkipReason(null, isSoftwareRenderer)).toBe('no backend race: this browser offers no WebGL2');
    expect(raceSkipReason('ANGLE (NVIDIA GeForce RTX 3060)', isSoftwareRenderer)).toBeNull();
  });
});
