import { Migrator } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { migrationProvider } from '../db/migrations';
import { createUser, getUserById } from '../db/queries/users';
import { METRIC_UNITS } from '../units/preferences';
import { getUserPreferences, preferencesOfRow, updateUserPreferences } from './preferences';

describe('preferencesOfRow', () => {
  it('reads unknown or missing stored values as not chosen', () => {
    expect(
      preferencesOfRow({
        locale: 'de',
        speed_unit: 'knots',
        fuel_unit: null,
        energy_unit: 'mikwh',
        time_zone: 'Mars/Base',
      }),
    ).toEqual({ units: { speed: 'kmh', fuel: 'l100km', energy: 'mikwh' }, locale: null, timeZone: null });
  });
});

for (const engine of ENGINES) {
  describe(`user preferences (${engine})`, () => {
    const database = useTestDatabase(engine);
    let serial = 0;
    const newUser = async () => {
      serial++;
      return createUser(database().db, { email: `prefs${serial}@example.com`, passwordHash: 'h' });
    };

    it('defaults to metric units, no language and no zone', async () => {
      const user = await newUser();
      expect(await getUserPreferences(database().db, user.id)).toEqual({
        units: { speed: 'kmh', fuel: 'l100km', energy: 'kwh100km' },
        locale: null,
        timeZone: null,
      });
      expect(METRIC_UNITS).toEqual({ speed: 'kmh', fuel: 'l100km', energy: 'kwh100km' });
    });

    it('answers the defaults for an unknown owner and null when updating one', async () => {
      expect((await getUserPreferences(database().db, 'nobody')).units.speed).toBe('kmh');
      expect(await updateUserPreferences(database().db, 'nobody', { locale: 'fr' })).toBeNull();
    });

    it('changes only what it is given and clears a choice with null', async () => {
      const user = await newUser();
      const other = await newUser();
      const db = database().db;
      expect(
        await updateUserPreferences(db, user.id, { units: { speed: 'mph' }, locale: 'fr' }, 5000),
      ).toEqual({
        units: { speed: 'mph', fuel: 'l100km', energy: 'kwh100km' },
        locale: 'fr',
        timeZone: null,
      });
      await updateUserPreferences(db, user.id, {
        units: { fuel: 'mpg_uk', energy: 'mikwh' },
        timeZone: 'Europe/Paris',
      });
      expect(await getUserPreferences(db, user.id)).toEqual({
        units: { speed: 'mph', fuel: 'mpg_uk', energy: 'mikwh' },
        locale: 'fr',
        timeZone: 'Europe/Paris',
      });
      await updateUserPreferences(db, user.id, { locale: null, timeZone: null });
      expect(await getUserPreferences(db, user.id)).toMatchObject({ locale: null, timeZone: null });
      expect((await getUserPreferences(db, user.id)).units.speed).toBe('mph');
      // The other owner is untouched.
      expect(await getUserPreferences(db, other.id)).toEqual({
        units: METRIC_UNITS,
        locale: null,
        timeZone: null,
      });
    });

    it('stores the choices in the users row and refuses values outside the lists', async () => {
      const user = await newUser();
      const db = database().db;
      await updateUserPreferences(db, user.id, { units: { speed: 'mph', fuel: 'kml' }, locale: 'en' }, 7000);
      expect(await getUserById(db, user.id)).toMatchObject({
        speed_unit: 'mph',
        fuel_unit: 'kml',
        energy_unit: null,
        locale: 'en',
        updated_at: 7000,
      });
      await expect(
        db.updateTable('users').set({ speed_unit: 'knots' }).where('id', '=', user.id).execute(),
      ).rejects.toThrow();
      await expect(
        db.updateTable('users').set({ locale: 'de' }).where('id', '=', user.id).execute(),
      ).rejects.toThrow();
    });
  });

  describe(`migration 0010 (${engine})`, () => {
    const database = useTestDatabase(engine);

    it('goes down and up again, dropping and restoring the columns', async () => {
      const db = database().db;
      const migrator = new Migrator({ db, provider: migrationProvider });
      // Back to the version before 0010 (later migrations go down first).
      const down = await migrator.migrateTo('0009-trip-tags');
      expect(down.error).toBeUndefined();
      expect(down.results?.at(-1)).toMatchObject({
        migrationName: '0010-user-preferences',
        direction: 'Down',
      });
      const columnsOf = async () =>
        (await db.introspection.getTables())
          .find((table) => table.name === 'users')
          ?.columns.map((column) => column.name) ?? [];
      const between = await columnsOf();
      for (const column of ['locale', 'speed_unit', 'fuel_unit', 'energy_unit'])
        expect(between).not.toContain(column);
      // An owner can still be created at that version (createUser leaves these columns to their default).
      await createUser(db, { email: 'between@example.com', passwordHash: 'h' });
      const up = await migrator.migrateToLatest();
      expect(up.error).toBeUndefined();
      const after = await createUser(db, { email: 'after@example.com', passwordHash: 'h' });
      expect(await getUserById(db, after.id)).toMatchObject({ locale: null, speed_unit: null });
    });
  });
}
