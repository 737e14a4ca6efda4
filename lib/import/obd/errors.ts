import 'server-only';
import { AppError } from '@/lib/errors';

// A problem with the whole file or with the options, as opposed to one unreadable row (which is
// skipped with a reason). The import stops: nothing of the file may be committed, because a
// file we cannot date or cannot split into rows would otherwise be half-stored.

export const OBD_IMPORT_PROBLEMS = [
  'bad_option',
  'no_header',
  'no_time_column',
  'date_needed',
  'unsupported_layout',
  'row_too_long',
] as const;
export type ObdImportProblem = (typeof OBD_IMPORT_PROBLEMS)[number];

export class ObdImportError extends AppError {
  readonly problem: ObdImportProblem;

  constructor(problem: ObdImportProblem, message: string) {
    super('bad_request', message);
    this.name = 'ObdImportError';
    this.problem = problem;
  }
}
