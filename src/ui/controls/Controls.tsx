/**
 * The settings sidebar, rendered from the settings schema (state/settings): the presets, then
 * each section's settings that apply to the model in force, in the schema's order. A setting
 * with options is a select, β has its own slider, every other one is a number field.
 */
import type { SettingSection } from '../../core/settings/spec';
import { FAMILIES, networkOf } from '../../core/models/catalog';
import { DATASETS } from '../../data/catalog';
import type { Controller } from '../../state/controller';
import { cautionOf, networkInForce, NO_HOLD_OUT, SETTING_KEYS, SETTINGS, settingApplies, type SettingKey, type Settings } from '../../state/settings';
import { useStore } from '../hooks/useStore';
import { BetaInput } from './BetaInput';
import { NumberField } from './NumberField';
import { PresetMenu } from './PresetMenu';
import { SelectField } from './SelectField';

const SECTIONS: readonly { id: Exclude<SettingSection, 'advanced'>; title: string }[] = [
  { id: 'model', title: 'Data & model' },
  { id: 'objective', title: 'Objective' },
  { id: 'optimiser', title: 'Optimiser' },
];

function keysOf(section: SettingSection, settings: Settings): SettingKey[] {
  return SETTING_KEYS.filter((k) => SETTINGS[k].section === section && settingApplies(k, settings));
}

function SettingControl({ name, settings, controller }: { name: SettingKey; settings: Settings; controller: Controller }) {
  const spec = SETTINGS[name];
  const commit = (raw: string | number) => controller.changeSetting(name, raw);
  const value = settings[name];
  if (name === 'beta') return <BetaInput value={settings.beta} onCommit={commit} hint={spec.hint} />;
  if (name === 'holdOutClass') return <HoldOutClass settings={settings} controller={controller} />;
  if (spec.options) return <SelectField label={spec.label} value={value} options={spec.options} onChange={commit} hint={spec.hint} />;
  return <NumberField label={spec.label} value={Number(value)} onCommit={commit} hint={spec.hint} caution={cautionOf(name, value)} />;
}

/** "Hold out class" names the data set's classes (Fashion-MNIST's by name, MNIST's digits). */
function HoldOutClass({ settings, controller }: { settings: Settings; controller: Controller }) {
  const classNames = useStore(controller.store, (s) => (s.data.summary?.datasetId === settings.dataset ? s.data.summary.classNames : null));
  const spec = SETTINGS.holdOutClass;
  const count = DATASETS[settings.dataset].classCount;
  const options = (spec.options ?? []).filter((o) => o.value < count).map((o) => (o.value >= 0 && classNames ? { ...o, label: classNames[o.value] ?? o.label } : o));
  const value = settings.holdOutClass < count ? settings.holdOutClass : NO_HOLD_OUT;
  return <SelectField label={spec.label} value={value} options={options} onChange={(raw) => controller.changeSetting('holdOutClass', raw)} hint={spec.hint} />;
}

export function Controls({ controller }: { controller: Controller }) {
  const settings = useStore(controller.store, (s) => s.settings);
  const family = FAMILIES[settings.model];
  const advanced = keysOf('advanced', settings);
  return (
    <aside className="controls" aria-label="Settings">
      <PresetMenu controller={controller} />
      {SECTIONS.map(({ id, title }) => {
        const keys = keysOf(id, settings);
        if (keys.length === 0) return null;
        return (
          <section key={id} className="controls-section" aria-label={title}>
            <h2 className="controls-title">{title}</h2>
            {keys.map((key) => (
              <div key={key}>
                <SettingControl name={key} settings={settings} controller={controller} />
                {key === 'model' ? <p className="controls-help">{family.description}</p> : null}
                {key === 'dataset' ? <p className="controls-help">{DATASETS[settings.dataset].description}.</p> : null}
                {key === 'network' ? <p className="controls-help">{networkOf(networkInForce(settings)).description}.</p> : null}
              </div>
            ))}
          </section>
        );
      })}
      {advanced.length ? (
        <details className="controls-advanced">
          <summary>Advanced</summary>
          {advanced.map((key) => (
            <SettingControl key={key} name={key} settings={settings} controller={controller} />
          ))}
        </details>
      ) : null}
    </aside>
  );
}
