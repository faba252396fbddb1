/** @module `switchyard status [--port 8080] [--json]`: the local engine's functions, replicas and latency. */
import type { EngineStatus } from '../../../runtime/engine/local/status.ts';
import type { ShadowView } from '../../../runtime/orchestrator/shadow-stats.ts';
import type { GraphView } from '../../../runtime/engine/local/ui/routes.ts';
import { ms, table, type Output } from '../output.ts';

export async function statusCommand(options: { port: string; host: string; json?: boolean }, out: Output): Promise<number> {
  const url = `http://${options.host}:${options.port}/_switchyard/status`;
  let status: EngineStatus;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    status = (await response.json()) as EngineStatus;
  } catch (error) {
    out.error(`no switchyard engine answered at ${url} (${(error as Error).message}). Start one with \`npx switchyard up graph.yaml --port ${options.port}\`, or pass --port.`);
    return 1;
  }
  if (options.json) {
    out.info(JSON.stringify(status, null, 2));
    return 0;
  }
  const transport = status.internalTransport === undefined ? '' : `; internal calls over ${status.internalTransport.kind}`;
  out.info(`graph "${status.graph}" at ${status.url}, up ${status.uptimeSeconds} s${transport}`);
  out.info('');
  out.info(
    table(
      ['function', 'desired', 'ready', 'starting', 'in-flight', 'queued', 'cold starts', 'panic', 'p50', 'p99'],
      status.functions.map((fn) => [
        fn.function, fn.desired, fn.ready, fn.starting, fn.inflight, fn.queued, fn.coldStarts, fn.panicking ? 'yes' : 'no', ms(fn.p50Ms), ms(fn.p99Ms),
      ]),
    ),
  );
  for (const line of await remoteLines(`http://${options.host}:${options.port}`)) out.info(line);
  for (const line of await shadowLines(`http://${options.host}:${options.port}`)) out.info(line);
  // Functions that cannot start: what failed, so that the user can fix it without searching the engine's log.
  for (const fn of status.functions.filter((f) => (f.startFailures ?? 0) > 0)) {
    const next = fn.startBackoffMs > 0 ? `next try in ${ms(fn.startBackoffMs)}` : 'will try again on the next request';
    out.info('');
    out.info(`✖ ${fn.function}: ${fn.startFailures} failed start${fn.startFailures === 1 ? '' : 's'} in a row (${next}): ${fn.lastStartError ?? 'no message'}`);
  }
  return 0;
}

/**
 * Each shadow's walks and agreement, as the running orchestrator replica has seen them (asked without waking the
 * graph); nothing when the graph has no shadow or the orchestrator is at zero replicas.
 */
async function shadowLines(base: string): Promise<string[]> {
  const shadows = (await engineJson<{ shadows?: ShadowView[] }>(`${base}/_switchyard/shadows`))?.shadows ?? [];
  if (shadows.length === 0) return [];
  const lines = ['', 'shadows (since the orchestrator replica started):'];
  for (const view of shadows) {
    const walks = `${view.walks.ok} ok, ${view.walks.failed} failed, ${view.walks.skipped} skipped`;
    const agreement =
      view.agreement === null
        ? 'no answers compared yet'
        : `picks the same class on ${Math.round(view.agreement * 100)}% of ${view.rows} row${view.rows === 1 ? '' : 's'} (largest difference ${Number(view.maxAbsDiff ?? 0).toPrecision(3)})`;
    lines.push(`  ${view.shadow} (shadow of ${view.node}): ${walks}; ${agreement}`);
  }
  return lines;
}

/** The graph's remote nodes (servers elsewhere, which have no replicas here): where each runs. */
async function remoteLines(base: string): Promise<string[]> {
  const remote = ((await engineJson<GraphView>(`${base}/_switchyard/graph`))?.nodes ?? []).filter((node) => node.remote !== undefined);
  return remote.length === 0 ? [] : ['', 'remote nodes (served elsewhere):', ...remote.map((node) => `  ${node.name} → ${node.remote}`)];
}

/** An engine read that may fail (an older engine, an orchestrator at zero): its JSON, or undefined. */
async function engineJson<T>(url: string): Promise<T | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return response.ok ? ((await response.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}
