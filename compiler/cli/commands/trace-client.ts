/** @module Reads a running engine's traces for `switchyard trace list|show`, with errors that say what to do. */
import type { TraceList, TraceView } from '../../../runtime/engine/local/traces/types.ts';
import type { Output } from '../output.ts';

export interface EngineAddress {
  port: string;
  host: string;
  /** The bearer token of an engine started with --auth-token-file / SWITCHYARD_AUTH_TOKEN. */
  token?: string;
}

export class TraceCommandError extends Error {}

/** Runs a trace command's body: a `TraceCommandError` is printed and exits 1; anything else is a bug and is thrown. */
export async function reportingTraceErrors(out: Output, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof TraceCommandError) {
      out.error(error.message);
      return 1;
    }
    throw error;
  }
}

async function getJson<T>(address: EngineAddress, route: string): Promise<T> {
  const url = `http://${address.host}:${address.port}${route}`;
  let response: Response;
  try {
    const headers: Record<string, string> = address.token === undefined ? {} : { authorization: `Bearer ${address.token}` };
    response = await fetch(url, { headers, signal: AbortSignal.timeout(5000) });
  } catch (error) {
    throw new TraceCommandError(
      `no switchyard engine answered at http://${address.host}:${address.port} (${causeOf(error)}). Start one with \`npx switchyard up graph.yaml --port ${address.port}\`, or pass --port.`,
    );
  }
  const body = (await response.json().catch(() => ({}))) as { error?: string; status?: { info?: string } };
  if (response.status === 401) {
    throw new TraceCommandError(`the engine at http://${address.host}:${address.port} requires a token: pass --auth-token-file, or set SWITCHYARD_AUTH_TOKEN`);
  }
  if (!response.ok) throw new TraceCommandError(body.error ?? body.status?.info ?? `${url} answered HTTP ${response.status}`);
  return body as T;
}

export function listTraces(address: EngineAddress, limit: number, filter: { errors?: boolean; node?: string } = {}): Promise<TraceList> {
  const query = new URLSearchParams({ limit: String(limit) });
  if (filter.errors === true) query.set('errors', 'true');
  if (filter.node !== undefined) query.set('node', filter.node);
  return getJson<TraceList>(address, `/_switchyard/traces?${query}`);
}

/** A full trace id, or a unique prefix of one the engine holds (at least 4 hex digits), as git takes commits. */
export async function getTrace(address: EngineAddress, id: string): Promise<TraceView> {
  const wanted = id.trim().toLowerCase();
  if (!/^[0-9a-f]{4,32}$/.test(wanted)) {
    throw new TraceCommandError(`"${id}" is not a trace id: expected 32 hex digits (or a unique prefix of at least 4), as \`switchyard trace list\` shows`);
  }
  if (wanted.length === 32) return getJson<TraceView>(address, `/_switchyard/traces/${wanted}`);
  const { traces, capacity } = await listTraces(address, 100_000);
  const matches = traces.filter((t) => t.traceId.startsWith(wanted));
  if (matches.length === 0) throw new TraceCommandError(`no trace starting with ${wanted} among the ${traces.length} the engine holds (it keeps the ${capacity} most recent)`);
  if (matches.length > 1) {
    throw new TraceCommandError(`${wanted} is ambiguous: ${matches.slice(0, 5).map((t) => t.traceId).join(', ')}${matches.length > 5 ? ', …' : ''}; give more digits`);
  }
  return getJson<TraceView>(address, `/_switchyard/traces/${matches[0]!.traceId}`);
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
