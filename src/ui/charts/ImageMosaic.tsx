/** A canvas of grayscale tiles (see mosaic.ts), repainted when its images or layout change. */
import { useLayoutEffect, useRef, type CanvasHTMLAttributes } from 'react';
import { paintMosaic, type ImageShape, type MosaicLayout, type Pixels, type Rgb } from './mosaic';

export interface ImageMosaicProps extends Omit<CanvasHTMLAttributes<HTMLCanvasElement>, 'width' | 'height'> {
  images: Pixels | null;
  image: ImageShape;
  layout: MosaicLayout;
  /** Image index per cell, row-major (see MosaicContent.tiles). */
  tiles: ArrayLike<number>;
  low?: Rgb;
  high?: Rgb;
  rowHigh?: readonly Rgb[];
  scale?: number;
  background?: string;
}

export function ImageMosaic({ images, image, layout, tiles, low, high, rowHigh, scale, background, ...canvasProps }: ImageMosaicProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    if (ref.current) paintMosaic(ref.current, layout, { images, image, tiles, low, high, rowHigh, scale, background });
  }, [images, image, layout, tiles, low, high, rowHigh, scale, background]);
  return <canvas ref={ref} {...canvasProps} />;
}
