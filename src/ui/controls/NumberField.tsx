/** A number typed as text and committed on Enter or blur, so half-typed values never apply. */
import { useEffect, useId, useState } from 'react';

export interface NumberFieldProps {
  label: string;
  value: number;
  onCommit(raw: string): void;
  hint?: string;
}

export function NumberField({ label, value, onCommit, hint }: NumberFieldProps) {
  const id = useId();
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="num"
        inputMode="decimal"
        value={text}
        title={hint}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => text !== String(value) && onCommit(text)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') onCommit(text);
          if (e.key === 'Escape') setText(String(value));
        }}
      />
    </div>
  );
}
