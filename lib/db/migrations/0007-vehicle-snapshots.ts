import 'server-only';
import type { Kysely } from 'kysely';

// TODO(glance helper (B)): this migration's tables. Same migration for SQLite and PostgreSQL; bigint holds epoch ms.

export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
