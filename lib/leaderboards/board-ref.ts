// Which leaderboard: the car's peer group, its model, everyone, or a private group it belongs to.
// Written in URLs and share links as `peer`, `model`, `everyone` or `group:<id>`. Pure and
// isomorphic.

export type BoardRef =
  | { kind: 'peer' }
  | { kind: 'model' }
  | { kind: 'everyone' }
  | { kind: 'group'; groupId: string };

export type BoardKind = BoardRef['kind'];

/** A board with fewer participants never shows their scores to outsiders (security-tests PV-07). */
export const MIN_PUBLISHED_PARTICIPANTS = 5;

const GROUP_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function parseBoardRef(value: string | null | undefined): BoardRef | null {
  if (value === 'peer' || value === 'model' || value === 'everyone') return { kind: value };
  if (value?.startsWith('group:')) {
    const groupId = value.slice('group:'.length);
    return GROUP_ID.test(groupId) ? { kind: 'group', groupId } : null;
  }
  return null;
}

export const formatBoardRef = (ref: BoardRef): string =>
  ref.kind === 'group' ? `group:${ref.groupId}` : ref.kind;
