/**
 * @module `switchyard up`'s front-door flags: `--grpc-port`, `--max-body-size` and the bearer token
 * (`--auth-token-file`, else the SWITCHYARD_AUTH_TOKEN environment variable), each with an error that names
 * the flag and says what to write.
 */
import { readFileSync } from 'node:fs';
import { validateToken } from '../../runtime/engine/local/auth.ts';

export const AUTH_TOKEN_ENV = 'SWITCHYARD_AUTH_TOKEN';

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, k: 1024, kib: 1024, mb: 1024 ** 2, m: 1024 ** 2, mib: 1024 ** 2, gb: 1024 ** 3, g: 1024 ** 3, gib: 1024 ** 3 };

/** `10mb`, `512kb`, `1048576` → bytes (units are powers of 1024). */
export function parseSizeFlag(flag: string, value: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = UNITS[(match?.[2] ?? '').toLowerCase()];
  const bytes = match === null || unit === undefined ? NaN : Math.floor(Number(match[1]) * unit);
  if (!Number.isSafeInteger(bytes) || bytes <= 0) throw new Error(`${flag} takes a size such as 10mb, 512kb or 1048576 (bytes); received "${value}"`);
  return bytes;
}

/**
 * The gRPC port: the flag's, else the HTTP port + 1 (8080 → 8081, KServe's pair), so that two graphs served
 * on different HTTP ports do not collide on gRPC; 0 (any free port) when the HTTP port is 0 or 65535.
 */
export function grpcPortFlag(value: string | undefined, httpPort: number): number {
  if (value === undefined) return httpPort === 0 || httpPort === 65535 ? 0 : httpPort + 1;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--grpc-port must be a port number from 0 to 65535; received "${value}"`);
  return port;
}

/** The bearer token from `--auth-token-file`, else from SWITCHYARD_AUTH_TOKEN, else none (auth off). */
export function readAuthToken(file: string | undefined, env: Record<string, string | undefined>): string | undefined {
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`--auth-token-file ${file} cannot be read: ${(error as Error).message}`);
    }
    return validateToken(text, `--auth-token-file ${file}`);
  }
  const fromEnv = env[AUTH_TOKEN_ENV];
  return fromEnv === undefined || fromEnv === '' ? undefined : validateToken(fromEnv, AUTH_TOKEN_ENV);
}
