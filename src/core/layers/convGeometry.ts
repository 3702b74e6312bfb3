/**
 * The sizes of 2-D convolutions with PyTorch's semantics (square kernel, one stride and one
 * explicit symmetric padding for both axes), and the patch geometry (src/kernels/names.ts) that
 * turns a convolution into a matrix product on the backends that have our kernels.
 */
import type { PatchGeometry } from '../../kernels/names';

/** Kernel size, stride and padding of a square convolution. */
export interface ConvWindow {
  kernelSize: number;
  stride: number;
  padding: number;
}

/** [height, width] */
export type Size2d = readonly [number, number];

/** A convolution's output side (PyTorch's Conv2d): ⌊(in + 2p − k) / s⌋ + 1. */
export function convOutputSide(input: number, { kernelSize: k, stride: s, padding: p }: ConvWindow): number {
  return Math.floor((input + 2 * p - k) / s) + 1;
}

/**
 * A transposed convolution's output side (PyTorch's ConvTranspose2d): (in − 1)·s − 2p + k + op.
 * The output padding op < s picks one of the s input sizes that a convolution maps to `in`.
 */
export function convTransposeOutputSide(input: number, { kernelSize: k, stride: s, padding: p }: ConvWindow, outputPadding = 0): number {
  return (input - 1) * s - 2 * p + k + outputPadding;
}

export function convOutputSize([h, w]: Size2d, window: ConvWindow): [number, number] {
  return [convOutputSide(h, window), convOutputSide(w, window)];
}

/** Throws unless the window is a valid one (positive kernel and stride, padding ≥ 0). */
export function checkWindow(window: ConvWindow, what: string): void {
  const { kernelSize, stride, padding } = window;
  const ok = [kernelSize, stride, padding].every(Number.isInteger) && kernelSize >= 1 && stride >= 1 && padding >= 0;
  if (!ok) throw new Error(`${what}: kernel ${kernelSize}, stride ${stride}, padding ${padding} is not a valid window`);
}

/**
 * The patches of a convolution of an image [batch, height, width, channels] with `window`: one
 * per output pixel (the grid is the convolution's output size). A convolution's forward pass is
 * im2col with it, a transposed convolution's is col2im with the geometry of the convolution it
 * transposes (image: its output, grid: its input).
 */
export function patchGeometry(image: readonly [number, number, number, number], window: ConvWindow): PatchGeometry {
  const [batch, height, width, channels] = image;
  const [gridHeight, gridWidth] = convOutputSize([height, width], window);
  if (gridHeight < 1 || gridWidth < 1) throw new Error(`a ${window.kernelSize}×${window.kernelSize} window does not fit a ${height}×${width} image`);
  return {
    batch,
    height,
    width,
    channels,
    kernelHeight: window.kernelSize,
    kernelWidth: window.kernelSize,
    strideHeight: window.stride,
    strideWidth: window.stride,
    padTop: window.padding,
    padLeft: window.padding,
    gridHeight,
    gridWidth,
  };
}
