/**
 * Shapes: a dSprites-like data set (Matthey et al., 2017) generated in the browser, inside the
 * worker, deterministically from a seed. Binary sprites of three shapes (square, ellipse, heart)
 * over the dSprites factor grid: shape (3) × scale (6) × orientation (40) × x (32) × y (32) =
 * 737,280 combinations, each rendering to exactly one image.
 *
 * Images are 32×32 instead of dSprites' 64×64: a quarter of the pixels makes the MLP VAE's input
 * and output layers four times smaller, so training stays fast in the browser, and sprites are
 * still clearly recognisable.
 *
 * Like dSprites, orientation spans [0, 2π) for every shape without special-casing symmetries:
 * a square rotated by π/2 and an ellipse rotated by π render the same image as at 0 (up to
 * rasterisation), so those factor combinations are not distinct images.
 */
import type { Dataset, GroundTruthFactors, ImageSplit } from './dataset';
import { Rng } from './rng';

/** Side of the square images, in pixels. */
export const SHAPES_SIDE = 32;
const PIXELS = SHAPES_SIDE * SHAPES_SIDE;

export const SHAPES_CLASS_NAMES: readonly string[] = ['square', 'ellipse', 'heart'];

/** Factor names and sizes, in mixed-radix order (the last factor, y, varies fastest). */
export const SHAPES_FACTORS: { readonly names: readonly string[]; readonly sizes: readonly number[] } = {
  names: ['shape', 'scale', 'orientation', 'x', 'y'],
  sizes: [3, 6, 40, 32, 32],
};

const FACTOR_COUNT = SHAPES_FACTORS.sizes.length;
const [SHAPE_N, SCALE_N, ORIENT_N, X_N, Y_N] = SHAPES_FACTORS.sizes;

/** Number of factor combinations: 3·6·40·32·32 = 737,280. */
export const SHAPES_GRID_SIZE = SHAPES_FACTORS.sizes.reduce((a, b) => a * b, 1);

// ---- Geometry -------------------------------------------------------------------------------

/**
 * Half-extent in pixels of a sprite at scale 1 (all shapes fit in about [-1, 1]² in their own
 * units, multiplied by this). Scales run 0.5…1 like dSprites.
 */
const BASE_RADIUS = 7;
/** Sprite centres span [MARGIN, SIDE − MARGIN]: at scale 1 sprites stay (mostly) inside. */
const MARGIN = 7;

/** Scale multipliers: 6 values evenly spaced over [0.5, 1]. */
export const SHAPES_SCALES: readonly number[] = Array.from({ length: SCALE_N }, (_, i) => 0.5 + (0.5 * i) / (SCALE_N - 1));
/** Orientations in radians: 40 values evenly spaced over [0, 2π). */
export const SHAPES_ORIENTATIONS: readonly number[] = Array.from({ length: ORIENT_N }, (_, i) => (2 * Math.PI * i) / ORIENT_N);
/** Sprite centre in pixels (0 = left/top edge) for position index i of n. */
function positionPx(i: number, n: number): number {
  return MARGIN + ((SHAPES_SIDE - 2 * MARGIN) * i) / (n - 1);
}
const X_PX = Float64Array.from({ length: X_N }, (_, i) => positionPx(i, X_N));
const Y_PX = Float64Array.from({ length: Y_N }, (_, i) => positionPx(i, Y_N));
const COS = Float64Array.from(SHAPES_ORIENTATIONS, Math.cos);
const SIN = Float64Array.from(SHAPES_ORIENTATIONS, Math.sin);

/** Square half-side, ellipse semi-axes, in shape units. */
const SQUARE_HALF = 0.75;
const ELLIPSE_A = 1;
const ELLIPSE_B = 0.5;
/**
 * Heart: the union of two "cones", each the convex hull of a lobe circle and the bottom tip, so
 * the outline is two round lobes with a notch between them and straight sides down to a point.
 * It spans u ∈ [−0.95, 0.95], v ∈ [−0.9, 0.9].
 */
const HEART_LOBE_U = 0.45;
const HEART_LOBE_V = -0.4;
const HEART_LOBE_R = 0.5;
const HEART_TIP_V = 0.9;
// Cone of the right lobe (the left one is its mirror image): unit axis from the tip to the
// lobe's centre, tangent of the half-angle, and the axial distance of the tangent points.
const HEART_AXIS_LEN = Math.hypot(HEART_LOBE_U, HEART_LOBE_V - HEART_TIP_V);
const HEART_AXIS_U = HEART_LOBE_U / HEART_AXIS_LEN;
const HEART_AXIS_V = (HEART_LOBE_V - HEART_TIP_V) / HEART_AXIS_LEN;
const HEART_TAN = HEART_LOBE_R / Math.sqrt(HEART_AXIS_LEN * HEART_AXIS_LEN - HEART_LOBE_R * HEART_LOBE_R);
const HEART_T_TANGENT = (HEART_AXIS_LEN * HEART_AXIS_LEN - HEART_LOBE_R * HEART_LOBE_R) / HEART_AXIS_LEN;

function insideHeart(u: number, v: number): boolean {
  const au = Math.abs(u); // symmetric about the vertical axis: test against the right lobe
  const du = au - HEART_LOBE_U;
  const dv = v - HEART_LOBE_V;
  if (du * du + dv * dv <= HEART_LOBE_R * HEART_LOBE_R) return true;
  const pu = au;
  const pv = v - HEART_TIP_V;
  const t = pu * HEART_AXIS_U + pv * HEART_AXIS_V;
  if (t < 0 || t > HEART_T_TANGENT) return false;
  const perp = Math.abs(pu * HEART_AXIS_V - pv * HEART_AXIS_U);
  if (perp <= t * HEART_TAN) return true;
  // The left lobe's cone reaches across the axis too: test the mirrored point against it.
  const t2 = -pu * HEART_AXIS_U + pv * HEART_AXIS_V;
  return t2 >= 0 && t2 <= HEART_T_TANGENT && Math.abs(-pu * HEART_AXIS_V - pv * HEART_AXIS_U) <= t2 * HEART_TAN;
}

/** Whether the point (u, v) in shape units (v pointing down, like image rows) is inside. */
function inside(shape: number, u: number, v: number): boolean {
  switch (shape) {
    case 0:
      return Math.abs(u) <= SQUARE_HALF && Math.abs(v) <= SQUARE_HALF;
    case 1:
      return (u * u) / (ELLIPSE_A * ELLIPSE_A) + (v * v) / (ELLIPSE_B * ELLIPSE_B) <= 1;
    default:
      return insideHeart(u, v);
  }
}

/** Supersampling: SS×SS samples per pixel, the pixel is on when more than half are inside. */
const SS = 3;
const SS_THRESHOLD = (SS * SS) / 2;
const SS_OFFSETS = Float64Array.from({ length: SS }, (_, i) => (i + 0.5) / SS);

/**
 * Half-width and half-height, in shape units, of each shape's axis-aligned bounding box at each
 * orientation: [shape · ORIENT_N + orientation]. The heart uses its bounding circle (radius 1.1:
 * lobe centre at distance 0.6 plus lobe radius 0.5).
 */
const EXTENT_X = new Float64Array(SHAPE_N * ORIENT_N);
const EXTENT_Y = new Float64Array(SHAPE_N * ORIENT_N);
for (let o = 0; o < ORIENT_N; o++) {
  const c = Math.abs(COS[o]);
  const s = Math.abs(SIN[o]);
  EXTENT_X[o] = EXTENT_Y[o] = SQUARE_HALF * (c + s);
  EXTENT_X[ORIENT_N + o] = Math.hypot(ELLIPSE_A * c, ELLIPSE_B * s);
  EXTENT_Y[ORIENT_N + o] = Math.hypot(ELLIPSE_A * s, ELLIPSE_B * c);
  EXTENT_X[2 * ORIENT_N + o] = EXTENT_Y[2 * ORIENT_N + o] = Math.hypot(HEART_LOBE_U, HEART_LOBE_V) + HEART_LOBE_R;
}

/** Inside-tests of pixel corners, (SIDE + 1)² at most; rendering is synchronous, so one suffices. */
const corners = new Uint8Array((SHAPES_SIDE + 1) * (SHAPES_SIDE + 1));

/**
 * Rasterises one sprite into out[offset … offset + 1024) as 0/1, writing only the 1s: the
 * target range must already be zero.
 *
 * Orientation θ turns the sprite counter-clockwise on screen about its centre. Only pixels
 * meeting the sprite's bounding box are visited, and a pixel whose four corners are all inside
 * (or all outside) the shape is taken as fully inside (outside) without supersampling: at these
 * sizes no part of a shape is thin enough to cover most of a pixel between its corners, so only
 * boundary pixels pay for the 3×3 samples.
 */
function rasterise(
  shape: number,
  scaleIndex: number,
  orientIndex: number,
  xIndex: number,
  yIndex: number,
  out: Uint8Array | Float32Array,
  offset: number,
): void {
  const radius = BASE_RADIUS * SHAPES_SCALES[scaleIndex];
  const inv = 1 / radius;
  const cx = X_PX[xIndex];
  const cy = Y_PX[yIndex];
  const c = COS[orientIndex];
  const s = SIN[orientIndex];
  const ex = EXTENT_X[shape * ORIENT_N + orientIndex] * radius;
  const ey = EXTENT_Y[shape * ORIENT_N + orientIndex] * radius;
  const col0 = Math.max(0, Math.floor(cx - ex));
  const col1 = Math.min(SHAPES_SIDE - 1, Math.floor(cx + ex));
  const row0 = Math.max(0, Math.floor(cy - ey));
  const row1 = Math.min(SHAPES_SIDE - 1, Math.floor(cy + ey));
  if (col0 > col1 || row0 > row1) return;

  // Shape-space coordinates of image point (px, py): the inverse rotation about the centre.
  const test = (px: number, py: number): boolean => {
    const dx = px - cx;
    const dy = py - cy;
    return inside(shape, (c * dx - s * dy) * inv, (s * dx + c * dy) * inv);
  };

  const stride = col1 - col0 + 2;
  for (let row = row0; row <= row1 + 1; row++) {
    for (let col = col0; col <= col1 + 1; col++) corners[(row - row0) * stride + (col - col0)] = test(col, row) ? 1 : 0;
  }
  for (let row = row0; row <= row1; row++) {
    const k = (row - row0) * stride - col0;
    for (let col = col0; col <= col1; col++) {
      const n = corners[k + col] + corners[k + col + 1] + corners[k + stride + col] + corners[k + stride + col + 1];
      let on = n === 4;
      if (n !== 0 && n !== 4) {
        let hits = 0;
        for (let sy = 0; sy < SS; sy++) {
          for (let sx = 0; sx < SS; sx++) if (test(col + SS_OFFSETS[sx], row + SS_OFFSETS[sy])) hits++;
        }
        on = hits > SS_THRESHOLD;
      }
      if (on) out[offset + row * SHAPES_SIDE + col] = 1;
    }
  }
}

// ---- Factor grid ----------------------------------------------------------------------------

function checkValues(values: ArrayLike<number>): void {
  if (values.length !== FACTOR_COUNT) {
    throw new RangeError(`Shapes factors need ${FACTOR_COUNT} values (${SHAPES_FACTORS.names.join(', ')}), got ${values.length}`);
  }
  for (let f = 0; f < FACTOR_COUNT; f++) {
    const v = values[f];
    if (!Number.isInteger(v) || v < 0 || v >= SHAPES_FACTORS.sizes[f]) {
      throw new RangeError(`Shapes factor ${SHAPES_FACTORS.names[f]} must be an integer in [0, ${SHAPES_FACTORS.sizes[f]}), got ${v}`);
    }
  }
}

/** Factor values (indices per factor) of grid index `index` in [0, 737,280); y varies fastest. */
export function factorIndexToValues(index: number): number[] {
  if (!Number.isInteger(index) || index < 0 || index >= SHAPES_GRID_SIZE) {
    throw new RangeError(`Shapes grid index must be an integer in [0, ${SHAPES_GRID_SIZE}), got ${index}`);
  }
  const values = new Array<number>(FACTOR_COUNT);
  let rest = index;
  for (let f = FACTOR_COUNT - 1; f >= 0; f--) {
    const size = SHAPES_FACTORS.sizes[f];
    values[f] = rest % size;
    rest = Math.floor(rest / size);
  }
  return values;
}

/** Grid index of factor values: the inverse of factorIndexToValues. */
export function valuesToFactorIndex(values: ArrayLike<number>): number {
  checkValues(values);
  let index = 0;
  for (let f = 0; f < FACTOR_COUNT; f++) index = index * SHAPES_FACTORS.sizes[f] + values[f];
  return index;
}

/** Walks the full grid in index order, yielding fresh factor-value arrays. */
export function* enumerateFactorGrid(): Generator<number[], void, undefined> {
  for (let shape = 0; shape < SHAPE_N; shape++)
    for (let scale = 0; scale < SCALE_N; scale++)
      for (let orient = 0; orient < ORIENT_N; orient++)
        for (let x = 0; x < X_N; x++) for (let y = 0; y < Y_N; y++) yield [shape, scale, orient, x, y];
}

/**
 * Renders the sprite of factor values [shape, scale, orientation, x, y] as 32×32 0/1 pixels,
 * row-major. `out` (length 1024) is reused when given.
 */
export function renderSprite(values: ArrayLike<number>, out?: Uint8Array): Uint8Array {
  checkValues(values);
  let target: Uint8Array;
  if (out === undefined) target = new Uint8Array(PIXELS);
  else if (out.length === PIXELS) target = out.fill(0);
  else throw new RangeError(`renderSprite: output buffer holds ${out.length} pixels, needs ${PIXELS}`);
  rasterise(values[0], values[1], values[2], values[3], values[4], target, 0);
  return target;
}

// ---- Data set -------------------------------------------------------------------------------

export interface ShapesOptions {
  seed: number;
  /** Training images, default 40,000. */
  trainCount?: number;
  /** Test images, default 5,000. */
  testCount?: number;
  /** Called with images generated so far, every chunk and at the end. */
  onProgress?: (done: number, total: number) => void;
}

export const SHAPES_DEFAULT_TRAIN = 40_000;
export const SHAPES_DEFAULT_TEST = 5_000;
const PROGRESS_CHUNK = 2_500;

function makeSplit(indices: Int32Array, start: number, count: number, progress: () => void): ImageSplit {
  const images = new Float32Array(count * PIXELS);
  const labels = new Uint8Array(count);
  const values = new Uint16Array(count * FACTOR_COUNT);
  for (let i = 0; i < count; i++) {
    let rest = indices[start + i];
    for (let f = FACTOR_COUNT - 1; f >= 0; f--) {
      const size = SHAPES_FACTORS.sizes[f];
      values[i * FACTOR_COUNT + f] = rest % size;
      rest = (rest - (rest % size)) / size;
    }
    const o = i * FACTOR_COUNT;
    rasterise(values[o], values[o + 1], values[o + 2], values[o + 3], values[o + 4], images, i * PIXELS);
    labels[i] = values[o];
    progress();
  }
  const factors: GroundTruthFactors = { names: [...SHAPES_FACTORS.names], sizes: [...SHAPES_FACTORS.sizes], values };
  return { images, labels, count, factors };
}

/**
 * Draws trainCount + testCount distinct grid points uniformly at random (seeded), so train and
 * test never share a factor combination, and renders them. Synchronous; ~45,000 images take a
 * fraction of a second.
 */
export function generateShapes(opts: ShapesOptions): Dataset {
  const trainCount = opts.trainCount ?? SHAPES_DEFAULT_TRAIN;
  const testCount = opts.testCount ?? SHAPES_DEFAULT_TEST;
  if (!Number.isInteger(trainCount) || trainCount < 1) throw new RangeError(`Shapes trainCount must be a positive integer, got ${trainCount}`);
  if (!Number.isInteger(testCount) || testCount < 1) throw new RangeError(`Shapes testCount must be a positive integer, got ${testCount}`);
  const total = trainCount + testCount;
  if (total > SHAPES_GRID_SIZE) {
    throw new RangeError(`Shapes has ${SHAPES_GRID_SIZE} factor combinations; cannot draw ${trainCount} + ${testCount} distinct ones`);
  }

  // Partial Fisher–Yates over the whole grid: the first `total` entries are a uniform sample
  // without replacement, in random order.
  const rng = new Rng(opts.seed);
  const grid = new Int32Array(SHAPES_GRID_SIZE);
  for (let i = 0; i < SHAPES_GRID_SIZE; i++) grid[i] = i;
  for (let i = 0; i < total; i++) {
    const j = i + rng.int(SHAPES_GRID_SIZE - i);
    const t = grid[i];
    grid[i] = grid[j];
    grid[j] = t;
  }

  const onProgress = opts.onProgress;
  let done = 0;
  const progress = () => {
    done++;
    if (done % PROGRESS_CHUNK === 0 && done !== total) onProgress?.(done, total);
  };
  onProgress?.(0, total);
  const train = makeSplit(grid, 0, trainCount, progress);
  const test = makeSplit(grid, trainCount, testCount, progress);
  onProgress?.(total, total);

  return {
    id: 'shapes',
    name: 'Shapes (dSprites factors)',
    shape: { width: SHAPES_SIDE, height: SHAPES_SIDE, channels: 1 },
    classNames: [...SHAPES_CLASS_NAMES],
    train,
    test,
  };
}
