/** Bearer-token auth at the gateway: the check, the open paths, the 401 bodies. */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { bearerAuth, checkBearer, isOpenPath, validateToken } from '../../../runtime/engine/local/auth.ts';

describe('checkBearer', () => {
  it.each([
    [undefined, 'missing'],
    ['', 'missing'],
    ['Bearer s3cret', 'ok'],
    ['bearer   s3cret  ', 'ok'],
    ['Bearer s3cre', 'invalid'],
    ['Bearer s3cret-and-more', 'invalid'],
    ['Basic s3cret', 'invalid'],
    ['s3cret', 'invalid'],
  ] as const)('%s → %s', (header, result) => {
    expect(checkBearer(header, 's3cret')).toBe(result);
  });
});

describe('the middleware', () => {
  const app = new Hono();
  app.use('*', bearerAuth('s3cret'));
  app.all('*', (c) => c.text('served'));

  it.each(['/health/ping', '/health/status', '/v2/health/live', '/v2/health/ready', '/metrics', '/_switchyard/status', '/v1/traces'])('leaves %s open', async (path) => {
    expect(isOpenPath(path)).toBe(true);
    expect(await (await app.request(path)).text()).toBe('served');
  });

  it.each(['/api/v1.0/predictions', '/v2', '/v2/models/g/ready', '/_fn/f/predict', '/metrics/extra', '/_switchyard/traces', '/healthz'])('guards %s', (path) => {
    expect(isOpenPath(path)).toBe(false);
  });

  it('answers Seldon paths with a Seldon status and V2 paths with {error}, both with a Bearer challenge', async () => {
    const seldon = await app.request('/api/v1.0/predictions', { method: 'POST' });
    expect(seldon.status).toBe(401);
    expect(seldon.headers.get('www-authenticate')).toBe('Bearer realm="switchyard"');
    expect(await seldon.json()).toEqual({
      status: { code: 401, info: 'authentication required: send the header "Authorization: Bearer <token>"', reason: 'unauthenticated', status: 'FAILURE' },
    });
    const v2 = await app.request('/v2/models/g/infer', { method: 'POST', headers: { authorization: 'Bearer nope' } });
    expect(v2.headers.get('www-authenticate')).toBe('Bearer realm="switchyard", error="invalid_token"');
    expect(Object.keys((await v2.json()) as object)).toEqual(['error']);
    expect(await (await app.request('/v2/models/g/infer', { headers: { authorization: 'Bearer s3cret' } })).text()).toBe('served');
  });

  it('refuses unusable tokens, saying where they came from', () => {
    expect(validateToken('  tok \n', 'file t')).toBe('tok');
    expect(() => validateToken(' \n', 'file t')).toThrow('file t is empty: put the bearer token in it');
    expect(() => validateToken('two words', 'SWITCHYARD_AUTH_TOKEN')).toThrow('SWITCHYARD_AUTH_TOKEN holds whitespace inside the token');
  });
});
