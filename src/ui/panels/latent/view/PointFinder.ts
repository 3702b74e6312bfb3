/** Which dot is under the pointer: a quadtree over the dots' screen positions, built when first asked and dropped when they move. Pure (d3-quadtree). */
import { quadtree, type Quadtree } from 'd3';
import type { ViewScales } from './viewport';

/** Pointer distance within which a dot counts as hit, px. */
export const HIT_RADIUS = 10;

export class PointFinder {
  private tree: Quadtree<number> | null = null;

  /** Forget the positions (the dots moved, the view changed). */
  invalidate(): void {
    this.tree = null;
  }

  /** The dot nearest plot pixel (px, py) within `radius`, or null. `positions` are latent units, row-major [count, 2]. */
  find(positions: Float32Array, scales: ViewScales, px: number, py: number, radius = HIT_RADIUS): number | null {
    if (!this.tree) {
      const { x, y } = scales;
      const ids: number[] = [];
      for (let k = 0; k < positions.length / 2; k++) if (Number.isFinite(positions[2 * k]) && Number.isFinite(positions[2 * k + 1])) ids.push(k);
      this.tree = quadtree<number>(
        ids,
        (k) => x(positions[2 * k]),
        (k) => y(positions[2 * k + 1]),
      );
    }
    const k = this.tree.find(px, py, radius);
    return k === undefined ? null : k;
  }
}
