/**
 * β on a slider whose scale makes 0.1–4 easy to hit (logarithmic from 0.01 to 10, with 0 at the
 * far left), next to a number field that shows and takes the exact value.
 */
import { useEffect, useId, useState } from 'react';
import type { Checked } from '../../core/settings/spec';
import { FieldNotes } from './FieldNotes';
import { describedBy, useCommittedText } from './useCommittedText';
import { BETA_RANGE } from '../../state/settings';

const SLIDER_STEPS = 1000;
const LOG_MIN = Math.log10(0.01);
const LOG_MAX = Math.log10(BETA_RANGE[1]);

/** Slider position (0…1000) → β; position 0 is β = 0, the rest is log-spaced 0.01…10. */
export function betaFromSlider(position: number): number {
  if (position <= 0) return 0;
  const t = (position - 1) / (SLIDER_STEPS - 1);
  const beta = 10 ** (LOG_MIN + t * (LOG_MAX - LOG_MIN));
  return Number(beta.toPrecision(beta < 1 ? 2 : 3));
}

export function sliderFromBeta(beta: number): number {
  if (beta <= 0) return 0;
  const clamped = Math.min(Math.max(beta, 0.01), BETA_RANGE[1]);
  return Math.round(1 + ((Math.log10(clamped) - LOG_MIN) / (LOG_MAX - LOG_MIN)) * (SLIDER_STEPS - 1));
}

export interface BetaInputProps {
  value: number;
  onCommit(raw: string | number): Checked<unknown>;
  /** What β does, shown under the slider. */
  hint?: string;
}

export function BetaInput({ value, onCommit, hint }: BetaInputProps) {
  const id = useId();
  const { setText, inputProps, message } = useCommittedText(value, onCommit);
  const [sliderPosition, setSliderPosition] = useState(sliderFromBeta(value));
  useEffect(() => setSliderPosition(sliderFromBeta(value)), [value]);
  return (
    <div className="field" data-tour="beta">
      <label htmlFor={id}>β (KL weight)</label>
      <div className="beta-row">
        <input
          type="range"
          aria-label="β slider"
          min={0}
          max={SLIDER_STEPS}
          value={sliderPosition}
          onChange={(e) => {
            const position = Number(e.target.value);
            setSliderPosition(position);
            setText(String(betaFromSlider(position)));
          }}
          onPointerUp={() => onCommit(betaFromSlider(sliderPosition))}
          onKeyUp={() => onCommit(betaFromSlider(sliderPosition))}
        />
        <input id={id} className="num beta-number" inputMode="decimal" aria-describedby={describedBy(message?.id)} {...inputProps} />
      </div>
      <div className="beta-ticks" aria-hidden="true">
        {[0, 0.1, 1, 4, 10].map((b) => (
          <button type="button" key={b} tabIndex={-1} style={{ left: `${(sliderFromBeta(b) / SLIDER_STEPS) * 100}%` }} onClick={() => onCommit(b)}>
            {b}
          </button>
        ))}
      </div>
      <FieldNotes message={message} cautionId={`${id}-caution`} />
      {hint ? <p className="controls-help">{hint}</p> : null}
    </div>
  );
}
