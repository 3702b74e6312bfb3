/**
 * The Class picker of the conditional families: which class y the decoder p(x|z, y) is asked for
 * at the probe, in the decoder grid and in the traversals (digits on MNIST, shapes on Shapes).
 */
import { useId } from 'react';

export interface ClassPickerProps {
  classNames: string[];
  value: number;
  onChange(label: number): void;
}

export function ClassPicker({ classNames, value, onChange }: ClassPickerProps) {
  const id = useId();
  return (
    <div className="class-picker field">
      <label htmlFor={id}>Class</label>
      <select id={id} value={String(value)} onChange={(e) => onChange(Number(e.target.value))} title="The class y the decoder p(x|z, y) draws at the probe, in the grid and in the traversals">
        {classNames.map((name, i) => (
          <option key={i} value={String(i)}>
            {name}
          </option>
        ))}
      </select>
      <span className="class-picker-hint">the decoder draws p(x | z, y = {classNames[value] ?? value})</span>
    </div>
  );
}
