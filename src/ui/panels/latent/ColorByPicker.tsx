/** "Colour by": the class, or one of the data set's ground-truth factors (Shapes). */
import type { FactorInfo } from '../../charts/factorColors';

export function ColorByPicker({ value, factorInfo, onChange }: { value: string; factorInfo: FactorInfo; onChange(value: string): void }) {
  return (
    <label className="latent-colorby">
      <span aria-hidden="true">colour</span>
      <select aria-label="Colour by" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="class">class</option>
        {factorInfo.names.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}
