import 'server-only';
import { cache } from 'react';
import { getDb } from '../db';
import { type PublicScoreCard, publicScoreCard } from './score-card';

/** The card behind a token, read once per request (the page, its metadata and its image share it). */
export const getPublicScoreCard = cache(
  (token: string): Promise<PublicScoreCard | null> => publicScoreCard(getDb(), token),
);
