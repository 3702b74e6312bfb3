/** A square grey image (intensities in [0, 1]) on a canvas at its own resolution, scaled by CSS. */
import { useLayoutEffect, useRef } from 'react';

export function GreyImage({ pixels, label, className }: { pixels: Float32Array | null; label: string; className?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const side = pixels ? Math.round(Math.sqrt(pixels.length)) : 1;
  useLayoutEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || !pixels) return;
    const data = ctx.createImageData(side, side);
    for (let i = 0; i < side * side; i++) {
      const v = Math.round(255 * Math.min(1, Math.max(0, pixels[i])));
      data.data.set([v, v, v, 255], 4 * i);
    }
    ctx.putImageData(data, 0, 0);
  }, [pixels, side]);
  return <canvas ref={ref} width={side} height={side} className={`grey-image ${className ?? ''}`} role="img" aria-label={label} />;
}
