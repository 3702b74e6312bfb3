/**
 * A chart's tooltip: a dark box placed beside an anchor point (right of it, else left, else centred)
 * and kept inside the chart, measured after each render so its real size decides.
 */
import { useLayoutEffect, useRef, type ReactNode } from 'react';
import { clampInto, placeBeside } from './tooltipPlacement';

export interface TooltipProps {
  /** The anchor in the chart's coordinates, px. */
  x: number;
  y: number;
  /** The chart's size, px: the tooltip stays inside. */
  width: number;
  height: number;
  /** Horizontal distance from the anchor. */
  gap?: number;
  /** 'middle': centred on the anchor's y; 'above': its bottom `gap` above the anchor; 'top': its top at y. */
  align?: 'middle' | 'above' | 'top';
  className?: string;
  children: ReactNode;
}

export function Tooltip({ x, y, width, height, gap = 12, align = 'top', className, children }: TooltipProps) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const w = el.offsetWidth;
    const h = el.offsetHeight;
    const left = align === 'above' ? clampInto(x - w / 2, w, width) : placeBeside(x, w, width, gap);
    const top = align === 'middle' ? y - h / 2 : align === 'above' ? y - gap - h : y;
    el.style.left = `${left}px`;
    el.style.top = `${clampInto(top, h, Math.max(height, h))}px`;
  });
  return (
    <div ref={ref} className={`tooltip${className ? ` ${className}` : ''}`} style={{ left: x + gap, top: y }}>
      {children}
    </div>
  );
}
