import { useId } from 'react';

export interface SelectFieldProps<T extends string | number> {
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange(raw: string): void;
  disabled?: boolean;
  /** What the choice does (shown on hover). */
  hint?: string;
}

export function SelectField<T extends string | number>({ label, value, options, onChange, disabled, hint }: SelectFieldProps<T>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={String(value)} disabled={disabled} title={hint} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={String(o.value)} value={String(o.value)}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
