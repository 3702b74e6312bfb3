/**
 * The KL schedules as pure functions (each value checked against its formula at chosen steps),
 * the training defaults, and the worker's validation of the new training settings.
 */
import { describe, expect, it } from 'vitest';
import { capacityAt, klWeightAt, type KlSchedule } from '../../src/core/objective/schedules';
import { DEFAULT_TRAINING_EXTRAS, resolveTrainingConfig } from '../../src/core/training/config';
import { parseCommand } from '../../src/worker/protocol';
import { mlpVae } from './helpers/model';

describe('klWeightAt and capacityAt', () => {
  it('constant: β at every step, no capacity', () => {
    const s: KlSchedule = { kind: 'constant' };
    for (const t of [0, 1, 10, 1e6]) {
      expect(klWeightAt(s, 3, t)).toBe(3);
      expect(capacityAt(s, t)).toBeNull();
    }
  });

  it('linear: w(t) = β·min(1, t/N) at 0, N/4, N/2, N, 2N', () => {
    const s: KlSchedule = { kind: 'linear', warmupSteps: 100 };
    const beta = 4;
    expect(klWeightAt(s, beta, 0)).toBe(0);
    expect(klWeightAt(s, beta, 25)).toBeCloseTo(1, 12);
    expect(klWeightAt(s, beta, 50)).toBeCloseTo(2, 12);
    expect(klWeightAt(s, beta, 99)).toBeCloseTo(3.96, 12);
    expect(klWeightAt(s, beta, 100)).toBe(4);
    expect(klWeightAt(s, beta, 200)).toBe(4);
    expect(capacityAt(s, 50)).toBeNull();
    // monotone over the warm-up
    const ws = Array.from({ length: 101 }, (_, t) => klWeightAt(s, beta, t));
    expect(ws.every((w, t) => t === 0 || w > ws[t - 1])).toBe(true);
  });

  it('cyclical (Fu et al. 2019): w = β·min(1, (t mod L)/(R·L)), L = T/M; β after T', () => {
    // T = 1000, M = 4 → L = 250; R = 0.5 → each cycle ramps over 125 steps, then holds 125.
    const s: KlSchedule = { kind: 'cyclical', cycles: 4, ramp: 0.5, totalSteps: 1000 };
    const beta = 2;
    const cases: [step: number, expected: number][] = [
      [0, 0], // start of cycle 1
      [50, beta * (50 / 125)], // mid-ramp, cycle 1
      [125, beta], // end of the ramp
      [200, beta], // mid-hold, cycle 1
      [249, beta], // last step of cycle 1
      [250, 0], // start of cycle 2
      [500, 0], // start of cycle 3
      [560, beta * (60 / 125)], // mid-ramp, cycle 3
      [700, beta], // mid-hold, cycle 3
      [750, 0], // start of cycle 4
      [999, beta],
      [1000, beta], // after T: stays at β
      [123_456, beta],
    ];
    for (const [t, expected] of cases) expect(klWeightAt(s, beta, t), `step ${t}`).toBeCloseTo(expected, 12);
    expect(capacityAt(s, 100)).toBeNull();
  });

  it('cyclical with a fractional cycle length and R = 1 ramps over the whole cycle', () => {
    const s: KlSchedule = { kind: 'cyclical', cycles: 3, ramp: 1, totalSteps: 1000 }; // L = 333.33…
    const L = 1000 / 3;
    expect(klWeightAt(s, 1, 333)).toBeCloseTo(333 / L, 12);
    expect(klWeightAt(s, 1, 334)).toBeCloseTo((334 - L) / L, 12);
    expect(klWeightAt(s, 1, 700)).toBeCloseTo((700 - 2 * L) / L, 12);
    expect(klWeightAt(s, 1, 1000)).toBe(1);
  });

  it('capacity (Burgess et al. 2018): C(t) = Cmax·min(1, t/N), weight γ whatever β', () => {
    const s: KlSchedule = { kind: 'capacity', capacityMax: 25, capacitySteps: 1000, gamma: 1000 };
    expect(capacityAt(s, 0)).toBe(0);
    expect(capacityAt(s, 100)).toBeCloseTo(2.5, 12);
    expect(capacityAt(s, 500)).toBeCloseTo(12.5, 12);
    expect(capacityAt(s, 1000)).toBe(25);
    expect(capacityAt(s, 5000)).toBe(25);
    for (const t of [0, 500, 5000]) {
      expect(klWeightAt(s, 1, t)).toBe(1000);
      expect(klWeightAt(s, 7, t)).toBe(1000);
    }
  });
});

describe('training defaults', () => {
  it('fills the optional fields in one place and copies the schedule', () => {
    const resolved = resolveTrainingConfig({ beta: 2, learningRate: 0.001, batchSize: 64 });
    expect(resolved).toEqual({ beta: 2, learningRate: 0.001, batchSize: 64, klSchedule: { kind: 'constant' }, freeBits: 0, objective: 'vae', options: {}, datasetSize: 0 });
    expect(resolved.klSchedule).not.toBe(DEFAULT_TRAINING_EXTRAS.klSchedule);
    const schedule: KlSchedule = { kind: 'linear', warmupSteps: 10 };
    const given = resolveTrainingConfig({ beta: 1, learningRate: 1, batchSize: 1, klSchedule: schedule, freeBits: 0.5, objective: 'kl-only' });
    expect(given).toMatchObject({ klSchedule: schedule, freeBits: 0.5, objective: 'kl-only' });
    expect(given.klSchedule).not.toBe(schedule);
  });
});

describe('validation of the training settings (protocol)', () => {
  const setTraining = (change: unknown) => parseCommand({ type: 'setTraining', change });
  const problem = (change: unknown): string => {
    const r = setTraining(change);
    if (r.ok) throw new Error(`accepted ${JSON.stringify(change)}`);
    return r.message;
  };
  const model = mlpVae({ inputDim: 64, hiddenDim: 32, latentDim: 4, likelihood: 'bernoulli', seed: 1 });

  it('accepts every schedule, free bits and objective, alone or together', () => {
    const good: unknown[] = [
      { klSchedule: { kind: 'constant' } },
      { klSchedule: { kind: 'linear', warmupSteps: 1 } },
      { klSchedule: { kind: 'cyclical', cycles: 4, ramp: 0.5, totalSteps: 10_000 } },
      { klSchedule: { kind: 'cyclical', cycles: 100, ramp: 1, totalSteps: 100 } },
      { klSchedule: { kind: 'capacity', capacityMax: 25, capacitySteps: 10_000, gamma: 1000 } },
      { klSchedule: { kind: 'capacity', capacityMax: 0, capacitySteps: 1, gamma: 0 } },
      { freeBits: 0 },
      { freeBits: 10 },
      { objective: 'vae' },
      { objective: 'autoencoder' },
      { objective: 'kl-only' },
      { beta: 4, freeBits: 0.25, objective: 'vae', klSchedule: { kind: 'linear', warmupSteps: 500 } },
    ];
    for (const change of good) expect(setTraining(change).ok, JSON.stringify(change)).toBe(true);
    // configure: the new fields are optional, and accepted when present
    const base = { beta: 1, learningRate: 0.01, batchSize: 32 };
    expect(parseCommand({ type: 'configure', datasetId: 'mnist', model, training: base }).ok).toBe(true);
    expect(parseCommand({ type: 'configure', datasetId: 'mnist', model, training: { ...base, objective: 'autoencoder', freeBits: 1 } }).ok).toBe(true);
  });

  it('rejects bad values with clear messages', () => {
    expect(problem({ klSchedule: 'linear' })).toMatch(/klSchedule must be an object with a kind \(constant, linear, cyclical, capacity\)/);
    expect(problem({ klSchedule: { kind: 'exponential' } })).toMatch(/klSchedule.kind must be one of constant, linear, cyclical, capacity/);
    expect(problem({ klSchedule: { kind: 'linear' } })).toMatch(/klSchedule.warmupSteps must be a positive integer number of steps/);
    expect(problem({ klSchedule: { kind: 'linear', warmupSteps: 0 } })).toMatch(/warmupSteps must be a positive integer/);
    expect(problem({ klSchedule: { kind: 'linear', warmupSteps: 2.5 } })).toMatch(/warmupSteps must be a positive integer/);
    expect(problem({ klSchedule: { kind: 'cyclical', cycles: 0, ramp: 0.5, totalSteps: 100 } })).toMatch(/klSchedule.cycles must be an integer in 1…100/);
    expect(problem({ klSchedule: { kind: 'cyclical', cycles: 101, ramp: 0.5, totalSteps: 1000 } })).toMatch(/cycles must be an integer in 1…100/);
    expect(problem({ klSchedule: { kind: 'cyclical', cycles: 4, ramp: 0, totalSteps: 100 } })).toMatch(/klSchedule.ramp must be a fraction of the cycle in \(0, 1\]/);
    expect(problem({ klSchedule: { kind: 'cyclical', cycles: 4, ramp: 1.5, totalSteps: 100 } })).toMatch(/ramp must be a fraction/);
    expect(problem({ klSchedule: { kind: 'cyclical', cycles: 4, ramp: 0.5, totalSteps: -1 } })).toMatch(/klSchedule.totalSteps must be a positive integer/);
    expect(problem({ klSchedule: { kind: 'cyclical', cycles: 10, ramp: 0.5, totalSteps: 5 } })).toMatch(/totalSteps must be at least klSchedule.cycles/);
    expect(problem({ klSchedule: { kind: 'capacity', capacityMax: 1001, capacitySteps: 10, gamma: 1 } })).toMatch(/klSchedule.capacityMax must be a number of nats in 0…1000/);
    expect(problem({ klSchedule: { kind: 'capacity', capacityMax: -1, capacitySteps: 10, gamma: 1 } })).toMatch(/capacityMax/);
    expect(problem({ klSchedule: { kind: 'capacity', capacityMax: 5, capacitySteps: 0, gamma: 1 } })).toMatch(/klSchedule.capacitySteps must be a positive integer/);
    expect(problem({ klSchedule: { kind: 'capacity', capacityMax: 5, capacitySteps: 10, gamma: 100_001 } })).toMatch(/klSchedule.gamma \(γ\) must be a number in 0…100000/);
    expect(problem({ klSchedule: { kind: 'capacity', capacityMax: 5, capacitySteps: 10, gamma: NaN } })).toMatch(/gamma/);
    expect(problem({ klSchedule: { kind: 'linear', warmupSteps: 10, cycles: 2 } })).toMatch(/unknown klSchedule field cycles for kind linear/);
    expect(problem({ freeBits: -0.1 })).toMatch(/free bits λ must be a number of nats in 0…10/);
    expect(problem({ freeBits: 11 })).toMatch(/free bits/);
    expect(problem({ freeBits: '1' })).toMatch(/free bits/);
    expect(problem({ objective: 'gan' })).toMatch(/objective must be one of vae, autoencoder, kl-only/);
    expect(problem({ lambda: 1 })).toMatch(/unknown training setting lambda/);
    // the command name prefixes every message
    expect(problem({ objective: 'gan' })).toMatch(/^setTraining: /);
    const badConfigure = parseCommand({ type: 'configure', datasetId: 'mnist', model, training: { beta: 1, learningRate: 0.01, batchSize: 32, freeBits: 20 } });
    expect(badConfigure).toMatchObject({ ok: false, message: expect.stringMatching(/free bits/) });
    // the required fields are still required in a full configuration
    const missing = parseCommand({ type: 'configure', datasetId: 'mnist', model, training: { learningRate: 0.01, batchSize: 32 } });
    expect(missing).toMatchObject({ ok: false, message: expect.stringMatching(/β must be a number/) });
  });
});
