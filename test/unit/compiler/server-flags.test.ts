/** `switchyard up`'s --grpc-port, --max-body-size and bearer-token flags. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { grpcPortFlag, parseSizeFlag, readAuthToken } from '../../../compiler/cli/server-flags.ts';

describe('--max-body-size', () => {
  it.each([
    ['10mb', 10 * 1024 * 1024],
    ['512KB', 512 * 1024],
    ['1048576', 1_048_576],
    ['1.5k', 1536],
    ['2 GiB', 2 * 1024 ** 3],
  ])('%s is %d bytes', (value, bytes) => {
    expect(parseSizeFlag('--max-body-size', value)).toBe(bytes);
  });

  it.each(['', 'ten', '10 parsecs', '0', '-1mb'])('refuses %j, saying what to write', (value) => {
    expect(() => parseSizeFlag('--max-body-size', value)).toThrow(`--max-body-size takes a size such as 10mb, 512kb or 1048576 (bytes); received "${value}"`);
  });
});

describe('--grpc-port', () => {
  it('defaults to 8081, or to any free port when the HTTP port is 0', () => {
    expect(grpcPortFlag(undefined, 8080)).toBe(8081);
    expect(grpcPortFlag(undefined, 8090)).toBe(8091);
    expect(grpcPortFlag(undefined, 65535)).toBe(0);
    expect(grpcPortFlag(undefined, 0)).toBe(0);
    expect(grpcPortFlag('9000', 0)).toBe(9000);
    expect(() => grpcPortFlag('70000', 8080)).toThrow('--grpc-port must be a port number from 0 to 65535; received "70000"');
  });
});

describe('the bearer token', () => {
  it('comes from --auth-token-file first, else SWITCHYARD_AUTH_TOKEN, else auth is off', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-token-'));
    try {
      const file = path.join(dir, 'token');
      await writeFile(file, 'from-file\n');
      expect(readAuthToken(file, { SWITCHYARD_AUTH_TOKEN: 'from-env' })).toBe('from-file');
      expect(readAuthToken(undefined, { SWITCHYARD_AUTH_TOKEN: 'from-env' })).toBe('from-env');
      expect(readAuthToken(undefined, {})).toBeUndefined();
      expect(() => readAuthToken(path.join(dir, 'absent'), {})).toThrow(/--auth-token-file .*absent cannot be read/);
      await writeFile(file, '\n');
      expect(() => readAuthToken(file, {})).toThrow(/is empty: put the bearer token in it/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
