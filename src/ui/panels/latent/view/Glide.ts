/**
 * The eased transition between snapshots (or axes): the points glide from where they are shown to
 * their new positions, and the view radius with them, over TRANSITION_MS with a cubic ease. Pure
 * state: the view asks it to step on each animation frame.
 */
import { easeCubicInOut } from 'd3';
import { alignPositions, neededRadius, nextRadius } from './viewport';

export const TRANSITION_MS = 420;

export class Glide {
  /** Where the points are shown now, row-major [count, 2] in latent units (null before the first target). */
  display: Float32Array | null = null;
  /** The view's half-width now, latent units. */
  radius = 3;
  private from: Float32Array | null = null;
  private to: Float32Array | null = null;
  private indices: Int32Array | null = null;
  private dim = 0;
  private axesKey = '';
  private rFrom = 3;
  private rTo = 3;
  private start = 0;
  private running = false;

  get moving(): boolean {
    return this.running;
  }

  /**
   * New positions for the points (test-set `indices`), seen on `axesKey` of a `dim`-dimensional
   * space. Jumps there for the first positions, a new latent size or when `animate` is false;
   * otherwise glides from the shown positions. Returns whether it glides.
   */
  retarget(target: Float32Array, indices: Int32Array, dim: number, axesKey: string, now: number, animate: boolean): boolean {
    const fresh = !this.display || !this.indices || this.dim !== dim;
    const rTo = nextRadius(this.radius, neededRadius(target), fresh || this.axesKey !== axesKey);
    if (fresh || !animate) {
      this.display = Float32Array.from(target);
      this.radius = rTo;
      this.running = false;
    } else {
      this.from = alignPositions(this.display!, this.indices!, indices, target);
      this.to = target;
      this.display = Float32Array.from(this.from);
      this.rFrom = this.radius;
      this.rTo = rTo;
      this.start = now;
      this.running = true;
    }
    this.indices = indices;
    this.dim = dim;
    this.axesKey = axesKey;
    return this.running;
  }

  /** Move to time `now`; returns whether the glide goes on. */
  step(now: number): boolean {
    const { from, to, display } = this;
    if (!this.running || !from || !to || !display) return (this.running = false);
    const t = Math.max(0, Math.min(1, (now - this.start) / TRANSITION_MS));
    const e = easeCubicInOut(t);
    for (let i = 0; i < display.length; i++) display[i] = from[i] + (to[i] - from[i]) * e;
    this.radius = this.rFrom + (this.rTo - this.rFrom) * e;
    if (t >= 1) this.running = false;
    return this.running;
  }
}
