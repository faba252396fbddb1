/**
 * @module Reading an Open Inference Protocol inference body and writing its answer, shared by a function's
 * `infer` and the graph's: JSON, or the binary tensor data extension when `Inference-Header-Content-Length`
 * is sent (request) or binary outputs are asked for (response).
 */
import { requireBodyKind } from '../protocol/media-type.ts';
import { INFERENCE_HEADER_CONTENT_LENGTH, decodeBinaryRequestBody, encodeBinaryResponse } from '../protocol/v2-binary.ts';
import type { InferenceRequest, InferenceResponse } from '../protocol/v2-types.ts';
import { parseJsonText, readBodyBytes } from './_body.ts';

const BINARY_HINT = `application/octet-stream needs the Inference-Header-Content-Length header (the binary tensor data extension)`;

/**
 * The request body as a JSON value (binary inputs already decoded into `data`); JSON may come as
 * application/json, text/plain (a `fetch` string body) or with no content type. 413/415/400 otherwise.
 */
export async function readInferenceBody(request: Request, limit: number, endpoint: string): Promise<unknown> {
  const bytes = await readBodyBytes(request, limit);
  const contentType = request.headers.get('content-type');
  const headerLength = request.headers.get(INFERENCE_HEADER_CONTENT_LENGTH);
  if (headerLength !== null) {
    requireBodyKind(contentType, ['json', 'binary'], endpoint);
    return decodeBinaryRequestBody(bytes, headerLength);
  }
  requireBodyKind(contentType, ['json', 'text'], endpoint, BINARY_HINT);
  return parseJsonText(new TextDecoder().decode(bytes));
}

/** The HTTP answer: JSON, or the extension's header + bytes when the request asked for binary outputs. */
export function inferenceHttpResponse(response: InferenceResponse, request: Pick<InferenceRequest, 'parameters' | 'outputs'>): Response {
  const binary = encodeBinaryResponse(response, request);
  if (binary === undefined) return Response.json(response);
  return new Response(binary.body, {
    headers: { 'content-type': 'application/octet-stream', [INFERENCE_HEADER_CONTENT_LENGTH]: String(binary.headerLength) },
  });
}
