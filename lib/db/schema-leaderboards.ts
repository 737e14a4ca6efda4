import 'server-only';

// The tables of migration 0014, written by lib/leaderboards/.

export type LeaderboardListingsTable = {
  vehicle_id: string;
  owner_id: string;
  /** Random (lib/sharing/pseudonym.ts), never derived from the owner's name or e-mail. */
  pseudonym: string;
  listed_at: number;
  /** Copies of vehicle_standings' columns (`model` in lower case), kept by refreshStanding. */
  peer_group: string | null;
  model: string | null;
  bin: number | null;
  score: number | null;
};

export type DriverGroupsTable = {
  id: string;
  name: string;
  /** Who made the group and may renew its invite; null once that account is gone. */
  owner_id: string | null;
  /** Hex SHA-256 of the invite token (the token is shown to members, never stored). */
  invite_token_hash: string;
  created_at: number;
};

export type DriverGroupMembersTable = {
  group_id: string;
  vehicle_id: string;
  owner_id: string;
  pseudonym: string;
  joined_at: number;
  /** Copies of the car's vehicle_standings bin and score, kept by refreshStanding. */
  bin: number | null;
  score: number | null;
};

export type LeaderboardTables = {
  leaderboard_listings: LeaderboardListingsTable;
  driver_groups: DriverGroupsTable;
  driver_group_members: DriverGroupMembersTable;
};
