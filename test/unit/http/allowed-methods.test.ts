import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { allowedMethods } from '../../../runtime/http/allowed-methods.ts';

describe('allowedMethods', () => {
  const app = new Hono();
  app.use('*', async (_c, next) => next());
  app.all('/anything/*', (c) => c.text('any'));
  app.post('/v2/models/:name/infer', (c) => c.text('infer'));
  app.get('/v2/models/:name', (c) => c.text('metadata'));
  app.get('/predict', (c) => c.text('get'));
  app.post('/predict', (c) => c.text('post'));

  it('lists the methods with a route at the path, HEAD with GET, sorted', () => {
    expect(allowedMethods(app, '/v2/models/iris/infer')).toEqual(['POST']);
    expect(allowedMethods(app, '/v2/models/iris')).toEqual(['GET', 'HEAD']);
    expect(allowedMethods(app, '/predict')).toEqual(['GET', 'HEAD', 'POST']);
  });

  it('is empty where no method has a route, and ignores middleware and routes for every method', () => {
    expect(allowedMethods(app, '/nope')).toEqual([]);
    expect(allowedMethods(app, '/v2/models/iris/infer/more')).toEqual([]);
    expect(allowedMethods(app, '/anything/else')).toEqual([]);
  });

  it('sees routes added after its first answer', () => {
    const grown = new Hono();
    grown.get('/a', (c) => c.text('a'));
    expect(allowedMethods(grown, '/b')).toEqual([]);
    grown.delete('/b', (c) => c.text('b'));
    expect(allowedMethods(grown, '/b')).toEqual(['DELETE']);
  });
});
