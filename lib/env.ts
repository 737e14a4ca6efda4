import 'server-only';
import { type Env, parseEnv } from './env-schema';

// The only reader of process.env in the app. Parsing at import makes a bad value stop start-up
// with a message that names the variable.
export const env: Env = parseEnv(process.env, process.cwd());
