'use client';

import { useTranslations } from 'next-intl';
import { type FormEvent, useState } from 'react';
import { Button } from '@/components/ui/button';
import {
  ENERGY_UNITS,
  type EnergyUnit,
  FUEL_UNITS,
  type FuelUnit,
  SPEED_UNITS,
  type SpeedUnit,
  type UnitPreferences,
} from '@/lib/units/preferences';
import { SaveStatus } from './save-status';
import { SelectField } from './select-field';
import { useAccountSave } from './use-account-save';

export function UnitsForm({ initial }: { initial: UnitPreferences }) {
  const t = useTranslations('settings.units');
  const [units, setUnits] = useState(initial);
  const save = useAccountSave();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.mutate({ units });
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" aria-describedby="units-status">
      <div className="grid gap-4 sm:grid-cols-3">
        <SelectField
          id="unit-speed"
          name="speed"
          label={t('speed')}
          value={units.speed}
          onChange={(event) => setUnits({ ...units, speed: event.target.value as SpeedUnit })}
          options={SPEED_UNITS.map((value) => ({ value, label: t(`speedOptions.${value}`) }))}
        />
        <SelectField
          id="unit-fuel"
          name="fuel"
          label={t('fuel')}
          value={units.fuel}
          onChange={(event) => setUnits({ ...units, fuel: event.target.value as FuelUnit })}
          options={FUEL_UNITS.map((value) => ({ value, label: t(`fuelOptions.${value}`) }))}
        />
        <SelectField
          id="unit-energy"
          name="energy"
          label={t('energy')}
          value={units.energy}
          onChange={(event) => setUnits({ ...units, energy: event.target.value as EnergyUnit })}
          options={ENERGY_UNITS.map((value) => ({ value, label: t(`energyOptions.${value}`) }))}
        />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={save.isPending}>
          {t('save')}
        </Button>
        <SaveStatus id="units-status" state={save.status} error={save.error} />
      </div>
    </form>
  );
}
