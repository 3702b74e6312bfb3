/** Types of fashion-mnist.mjs, for the unit tests. */
export declare const FASHION_CLASS_NAMES: readonly string[];
export declare const FASHION_SPLIT_SEED: number;
export declare const FASHION_SPLIT_VERSION: number;
export declare const FASHION_TRAIN_COUNT: number;
export declare const FASHION_TEST_COUNT: number;
export declare const FASHION_SIDE: number;

export declare function testQuotas(classSizes: readonly number[], testCount: number): number[];

export declare function stratifiedSplit(
  labels: ArrayLike<number>,
  options: { testCount: number; seed: number; classCount?: number; groups?: ArrayLike<number> },
): { train: Int32Array; test: Int32Array; quotas: number[] };

export declare function decodeClassFile(text: string, file: string): { pixels: Uint8Array; count: number; skipped: number };

export declare function toIdx(pixels: Uint8Array, labels: Uint8Array, indices: ArrayLike<number>): { images: Buffer; labels: Buffer };

export interface FashionSplitFacts {
  version: number;
  seed: number;
  method: string;
  train: number;
  test: number;
  trainPerClass: number[];
  testPerClass: number[];
  repeatedImages: number;
}

export declare function buildFashion(files: { pixels: Uint8Array; count: number }[]): {
  train: { images: Buffer; labels: Buffer };
  test: { images: Buffer; labels: Buffer };
  split: FashionSplitFacts;
};
