import 'server-only';
import { cache } from 'react';
import { getDb } from '../db';
import type { PublicBoard } from '../leaderboards/board';
import { type PublicScoreCard, publicScoreCard } from './score-card';
import { publicSharedBoard } from './shared-board';

/** The card behind a token, read once per request (the page, its metadata and its image share it). */
export const getPublicScoreCard = cache(
  (token: string): Promise<PublicScoreCard | null> => publicScoreCard(getDb(), token),
);

/** The leaderboard behind a token, read once per request. */
export const getSharedBoard = cache(
  (token: string): Promise<PublicBoard | null> => publicSharedBoard(getDb(), token),
);
