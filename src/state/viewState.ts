/**
 * What the page shows that changes faster than training reports: the probe and its decoded image,
 * the decoder grid, the traversals, and which lab tab is open. A store of its own, so a probe move
 * re-renders only what shows the probe.
 */
import type { LabTab } from './settings/presets';
import type { Traversal } from './traversal';

export type { LabTab } from './settings/presets';

export interface DecodedImages {
  images: Float32Array;
  count: number;
  step: number;
}

export interface ViewState {
  probe: number[];
  probeImage: Float32Array | null;
  probeLatencyMs: number | null;
  /** The training step of the decoder copy that decoded the probe's image, or null when the training worker did. */
  probeCopyStep: number | null;
  grid: DecodedImages | null;
  gridLatents: Float32Array | null;
  traversal: Traversal | null;
  labTab: LabTab;
  /** The class the conditional families decode the probe, the grid and the traversals as (the Class picker). */
  decodeClass: number;
  /** The probe's z decoded as every class, in class order (the conditional families). */
  classStrip: DecodedImages | null;
  /** The mixture component the decoder grid samples from; null: the whole prior. */
  gridComponent: number | null;
  /** The lesson last chosen (the Presets select and the article's Try it buttons), '' for none. */
  preset: string;
  /** An autoregressive decoder's progress through a decode's pixels, while one runs. */
  decodeProgress: { done: number; total: number } | null;
}

export function initialView(latentDim: number, labTab: LabTab = 'lab', decodeClass = 0): ViewState {
  return {
    probe: new Array(latentDim).fill(0),
    probeImage: null,
    probeLatencyMs: null,
    probeCopyStep: null,
    grid: null,
    gridLatents: null,
    traversal: null,
    labTab,
    decodeClass,
    classStrip: null,
    gridComponent: null,
    preset: '',
    decodeProgress: null,
  };
}
