import 'server-only';
import { z } from 'zod';

// The CLI contract (interfaces.md › Command line): exit 0 done, 1 failed, 2 bad usage; with
// --json stdout carries exactly one JSON document and human text goes to stderr.

export class UsageError extends Error {
  override name = 'UsageError';
}

export class CommandError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'CommandError';
    this.code = code;
  }
}

export type CommandResult = { json: unknown; text: string };

export function zodMessage(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'value'}: ${issue.message}`).join('; ');
}

export function parseOrUsage<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new UsageError(zodMessage(result.error));
  return result.data;
}

export { z };
