import 'server-only';

// The table of migrations 0012 and 0014: links that open one car's score card, or a leaderboard it
// is on, without an account (lib/sharing/share-links.ts reads and writes it).

export const SHARE_LINK_KINDS = ['score_card', 'leaderboard'] as const;
export type ShareLinkKind = (typeof SHARE_LINK_KINDS)[number];

export type ShareLinksTable = {
  id: string;
  owner_id: string;
  vehicle_id: string;
  kind: ShareLinkKind;
  /** Hex SHA-256 of the token; the token itself is shown once, when the link is made. */
  token_hash: string;
  /** Random per link (never derived from the owner's name or e-mail). */
  pseudonym: string;
  created_at: number;
  /** Null: the link does not expire. */
  expires_at: number | null;
  revoked_at: number | null;
  /** What a `leaderboard` link opens (lib/leaderboards/board-ref.ts); null for a score card. */
  board: string | null;
};

export type ShareLinkTables = {
  share_links: ShareLinksTable;
};
