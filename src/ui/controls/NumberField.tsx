/** A number typed as text and committed on Enter or blur, so half-typed values never apply. */
import { useId } from 'react';
import { useCommittedText } from './useCommittedText';

export interface NumberFieldProps {
  label: string;
  value: number;
  onCommit(raw: string): void;
  hint?: string;
}

export function NumberField({ label, value, onCommit, hint }: NumberFieldProps) {
  const id = useId();
  const { inputProps } = useCommittedText(value, onCommit);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="num"
        inputMode="decimal"
        title={hint}
        {...inputProps}
      />
    </div>
  );
}
