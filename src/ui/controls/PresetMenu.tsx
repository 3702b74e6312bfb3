/**
 * Lessons in one click: the Presets select applies one (every setting to its lesson's values,
 * asking first if a trained model would be discarded) and shows its two sentences on what to watch.
 */
import type { Controller } from '../../state/controller';
import { PRESETS, presetById } from '../../state/settings';
import { useStore } from '../hooks/useStore';
import { SelectField } from './SelectField';

const NONE = '';

export function PresetMenu({ controller }: { controller: Controller }) {
  const chosen = useStore(controller.view, (v) => v.preset);
  const preset = presetById(chosen);
  return (
    <section className="presets" aria-label="Lessons">
      <SelectField
        label="Presets"
        value={chosen}
        options={[{ value: NONE, label: 'Choose a lesson…' }, ...PRESETS.map((p) => ({ value: p.id, label: p.label }))]}
        onChange={(id) => {
          if (id !== NONE) controller.applyPreset(id);
          else controller.view.set((v) => ({ ...v, preset: NONE }));
        }}
        hint="Sets up a lesson: the settings change to the preset's and the page says what to watch"
      />
      {preset ? (
        <p className="preset-summary" aria-live="polite">
          {preset.summary}
        </p>
      ) : null}
    </section>
  );
}
