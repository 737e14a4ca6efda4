import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { importClosure, parseSource, REPO } from './import-graph';

// docs/security-tests.md PV-08 (review test): the leaderboard and share pages expose no maps,
// routes or positions. Read from the sources with the TypeScript compiler: every module these
// pages and the leaderboard API bring in at run time (their layouts included), followed through
// value imports. The HTTP side (no position field or coordinate in what they answer) is in
// e2e/api/private-pages.spec.ts.

/** The signed-in leaderboard page and API, the invite page, and the shared pages. */
const ENTRIES = [
  'app/layout.tsx',
  'app/(dashboard)/layout.tsx',
  'app/(dashboard)/vehicles/[vehicleId]/layout.tsx',
  'app/(dashboard)/vehicles/[vehicleId]/leaderboard/page.tsx',
  'app/(dashboard)/join/[token]/page.tsx',
  'app/api/vehicles/[vehicleId]/leaderboard/route.ts',
  'app/api/vehicles/[vehicleId]/leaderboard/listing/route.ts',
  'app/s/[token]/page.tsx',
  'app/s/[token]/opengraph-image.tsx',
];

/**
 * The session and the schema migrator: every page reaches them, and through them the maker's
 * sign-in and the ingest schemas, none of which renders anything. Everything else is followed.
 */
const PLUMBING = ['lib/auth/index.ts', 'lib/db/migrate.ts'];

/** A position, a place or a drawn route, in any of the spellings the code base uses. */
const POSITION_NAME =
  /latitude|longitude|coordinates|geolocation|heading_deg|^(lat|lng|lon)$|route-?point|route-?geometry|route-?map|location-?card/i;

/** Names in code (identifiers, property names, JSX tags): what a component renders from. */
function positionIdentifiers(file: string): string[] {
  const found = new Set<string>();
  const visit = (node: ts.Node) => {
    if ((ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) && POSITION_NAME.test(node.text))
      found.add(node.text);
    if (ts.isStringLiteralLike(node) && POSITION_NAME.test(node.text)) found.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(parseSource(file));
  return [...found];
}

/**
 * Column and field names in string and template literals: what a query reads (Kysely or raw SQL).
 * `geolocation` is left out here: as a string it is the name of the car's privacy mode that hides
 * positions (lib/telemetry/model.ts PRIVACY_STATES), not a position.
 */
const POSITION_COLUMN =
  /^(latitude|longitude|start_latitude|start_longitude|end_latitude|end_longitude|heading_deg|coordinates|lat|lng|lon)$/i;

function positionStrings(file: string): string[] {
  const found = new Set<string>();
  const visit = (node: ts.Node) => {
    const text =
      ts.isStringLiteralLike(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
        ? node.text
        : null;
    if (text !== null) {
      for (const word of text.split(/[^A-Za-z0-9_]+/)) if (POSITION_COLUMN.test(word)) found.add(word);
    }
    ts.forEachChild(node, visit);
  };
  visit(parseSource(file));
  return [...found];
}

function filesUnder(dir: string): string[] {
  return readdirSync(join(REPO, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name))
    .map((entry) => `${join(entry.parentPath, entry.name).slice(REPO.length)}`.replace(/\\/g, '/'))
    .sort();
}

const closure = [...importClosure(ENTRIES, { stopAt: PLUMBING }).keys()].sort();
const rendered = closure.filter((file) => file.startsWith('app/') || file.startsWith('components/'));

describe('the leaderboard and share pages carry no maps, routes or positions (PV-08)', () => {
  it('finds the map components and position queries it must keep out (the check is not blind)', () => {
    const mapComponents = filesUnder('components').filter((file) => positionIdentifiers(file).length > 0);
    // The trip page's drawn route and the glance's location card: what "a map" is in Kinetic.
    expect(mapComponents).toEqual(
      expect.arrayContaining(['components/glance/location-card.tsx', 'components/trips/route-map.tsx']),
    );
    for (const file of mapComponents) expect(closure, `${file} is reachable`).not.toContain(file);
    // And the queries that do read positions (the glance's last place, an alert's place) are seen.
    expect(positionStrings('lib/vehicles/glance.ts')).toEqual(expect.arrayContaining(['latitude']));
    expect(positionStrings('lib/alerts/alerts.ts')).toEqual(expect.arrayContaining(['latitude']));
  });

  it('no page, layout or component they render names a position, a place or a route', () => {
    expect(rendered.length).toBeGreaterThan(20);
    const offenders = rendered
      .map((file) => ({ file, names: positionIdentifiers(file) }))
      .filter(({ names }) => names.length > 0);
    expect(offenders).toEqual([]);
  });

  it('no module behind them reads a position column or field', () => {
    // Every module these pages reach (the data layer that builds their DTOs included), except the
    // session and migration plumbing named above.
    const offenders = closure
      .map((file) => ({ file, names: positionStrings(file) }))
      .filter(({ names }) => names.length > 0);
    expect(offenders).toEqual([]);
    // The data layer of the boards and shares is in the walk, not stopped short of it.
    expect(closure).toEqual(
      expect.arrayContaining([
        'lib/leaderboards/board.ts',
        'lib/sharing/shared-board.ts',
        'lib/sharing/score-card.ts',
        'lib/db/queries/standings.ts',
      ]),
    );
  });
});
