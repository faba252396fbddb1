/**
 * Test helper: an HTTP server that answers S3's GetObject (path style, `/<bucket>/<key>`, as an S3-compatible
 * endpoint does) and checks AWS Signature Version 4 on every request the way S3 does, written here from AWS's
 * published algorithm (not with the signing library the product uses), so a request signed with the wrong host,
 * path, region, date or key is refused as S3 refuses it: 403 with an XML `<Error><Code>…`.
 *
 * Objects are private unless listed in `publicKeys`; an unsigned request for a private one is AccessDenied.
 */
import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface S3TestServer {
  /** `http://127.0.0.1:<port>`: the endpoint (`AWS_ENDPOINT_URL`). */
  endpoint: string;
  /** Every request: its path, and whether its signature checked out (undefined: unsigned). */
  requests: Array<{ path: string; signed?: boolean; region?: string }>;
  close(): Promise<void>;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** The SigV4 signature of a request (AWS, "Signature Calculations for the Authorization Header"). */
export function sigV4Signature(input: {
  method: string;
  path: string;
  query?: string;
  headers: Record<string, string>;
  signedHeaders: string[];
  payloadHash: string;
  amzDate: string;
  region: string;
  service: string;
  secretAccessKey: string;
}): string {
  const canonicalHeaders = input.signedHeaders.map((name) => `${name}:${(input.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonicalRequest = [input.method, input.path, input.query ?? '', canonicalHeaders, input.signedHeaders.join(';'), input.payloadHash].join('\n');
  const day = input.amzDate.slice(0, 8);
  const scope = `${day}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', input.amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${input.secretAccessKey}`, day), input.region), input.service), 'aws4_request');
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

export async function startS3Server(options: { credentials: S3Credentials; objects: Record<string, Buffer>; publicKeys?: string[] }): Promise<S3TestServer> {
  const requests: S3TestServer['requests'] = [];
  const refuse = (res: http.ServerResponse, code: string, message: string) =>
    res.writeHead(403, { 'content-type': 'application/xml' }).end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
  const server = http.createServer((req, res) => {
    const [path = '/', query = ''] = (req.url ?? '/').split('?');
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
    const object = options.objects[decodeURIComponent(path)];
    const auth = headers.authorization;
    if (auth === undefined) {
      requests.push({ path });
      if (object === undefined) return void res.writeHead(404).end();
      if (!(options.publicKeys ?? []).includes(decodeURIComponent(path))) return refuse(res, 'AccessDenied', 'Access Denied');
      return void res.writeHead(200, { 'content-length': object.length }).end(object);
    }
    const parsed = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
    if (parsed === null) return refuse(res, 'AuthorizationHeaderMalformed', 'The authorization header is malformed');
    const [, keyId, , region, signedHeaders, signature] = parsed as unknown as [string, string, string, string, string, string];
    const expected = sigV4Signature({
      method: req.method ?? 'GET',
      path,
      query,
      headers,
      signedHeaders: signedHeaders.split(';'),
      payloadHash: headers['x-amz-content-sha256'] ?? '',
      amzDate: headers['x-amz-date'] ?? '',
      region,
      service: 's3',
      secretAccessKey: options.credentials.secretAccessKey,
    });
    const tokenOk = options.credentials.sessionToken === undefined || headers['x-amz-security-token'] === options.credentials.sessionToken;
    const ok = keyId === options.credentials.accessKeyId && signature === expected && tokenOk && signedHeaders.split(';').includes('host');
    requests.push({ path, signed: ok, region });
    if (keyId !== options.credentials.accessKeyId) return refuse(res, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    if (!ok) return refuse(res, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    if (object === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-length': object.length }).end(object);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
