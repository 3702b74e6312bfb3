/** A number typed as text and committed on Enter or blur, so half-typed values never apply. */
import { useId } from 'react';
import type { Checked } from '../../core/settings/spec';
import { FieldNotes } from './FieldNotes';
import { describedBy, useCommittedText } from './useCommittedText';

export interface NumberFieldProps {
  label: string;
  value: number;
  onCommit(raw: string): Checked<unknown>;
  hint?: string;
  /** A warning that holds while the value is in force (a learning rate that may diverge). */
  caution?: string | null;
}

export function NumberField({ label, value, onCommit, hint, caution }: NumberFieldProps) {
  const id = useId();
  const { inputProps, message } = useCommittedText(value, onCommit);
  const cautionId = `${id}-caution`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} className="num" inputMode="decimal" title={hint} aria-describedby={describedBy(message?.id, caution ? cautionId : null)} {...inputProps} />
      <FieldNotes message={message} caution={caution} cautionId={cautionId} />
    </div>
  );
}
