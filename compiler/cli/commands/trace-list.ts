/** @module `switchyard trace list [--port 8080] [--limit 20] [--errors] [--node NAME] [--json]`: a running engine's recent traces. */
import type { Output } from '../output.ts';
import { listTraces, reportingTraceErrors, type EngineAddress } from './trace-client.ts';
import { arrows, fit, formatMs } from './trace-waterfall.ts';

export interface TraceListOptions extends EngineAddress {
  limit?: string;
  json?: boolean;
  /** --errors: failed requests only. */
  errors?: boolean;
  /** --node NAME: requests whose route went through NAME. */
  node?: string;
}

/** Columns of one row; the route takes what is left of 80. Trace ids are cut to 12 digits: `show` takes a prefix. */
const WIDTH = 80;

export async function traceListCommand(options: TraceListOptions, out: Output): Promise<number> {
  const limit = Number(options.limit ?? 20);
  if (!Number.isInteger(limit) || limit < 1) {
    out.error(`--limit takes a positive whole number; received "${options.limit}"`);
    return 1;
  }
  return reportingTraceErrors(out, async () => {
    const filter = { ...(options.errors ? { errors: true } : {}), ...(options.node === undefined ? {} : { node: options.node }) };
    const list = await listTraces(options, limit, filter);
    if (options.json) {
      out.info(JSON.stringify(list, null, 2));
      return 0;
    }
    const which = [options.errors ? 'failed' : '', options.node === undefined ? '' : `through "${options.node}"`].filter(Boolean).join(', ');
    if (list.traces.length === 0) {
      out.info(
        which === ''
          ? `no traces yet (the engine keeps the ${list.capacity} most recent): send a prediction, then run this again`
          : `no ${which} trace among the ${list.held} the engine holds (it keeps the ${list.capacity} most recent)`,
      );
      return 0;
    }
    const rows = list.traces.map((t) => ({
      time: new Date(t.startMs).toLocaleTimeString('en-GB', { hour12: false }) + '.' + String(Math.floor(t.startMs % 1000)).padStart(3, '0'),
      // The request's own time; a shadow that runs on after the answer is not the client's wait.
      duration: formatMs(t.requestMs ?? t.durationMs),
      // A request that succeeded with a failed span under it (a shadow's) says so.
      status: (t.httpStatus === undefined ? t.status : `${t.httpStatus} ${t.status}`) + (t.status === 'ok' && t.errorCount > 0 ? ` · ${t.errorCount} failed` : ''),
      trace: t.traceId.slice(0, 12),
      route: t.route ? arrows(t.route) : t.name,
    }));
    const widths = {
      time: Math.max(4, ...rows.map((r) => r.time.length)),
      duration: Math.max(8, ...rows.map((r) => r.duration.length)),
      status: Math.max(6, ...rows.map((r) => r.status.length)),
      trace: 12,
    };
    const routeWidth = Math.max(10, WIDTH - (widths.time + widths.duration + widths.status + widths.trace + 8));
    const line = (time: string, duration: string, status: string, trace: string, route: string) =>
      `${time.padEnd(widths.time)}  ${duration.padStart(widths.duration)}  ${status.padEnd(widths.status)}  ${trace.padEnd(widths.trace)}  ${fit(route, routeWidth)}`.trimEnd();
    out.info(line('time', 'duration', 'status', 'trace', 'route'));
    for (const r of rows) out.info(line(r.time, r.duration, r.status, r.trace, r.route));
    out.info('');
    out.info(`${list.traces.length}${which === '' ? '' : ` ${which}`} of ${list.held} kept traces (at most ${list.capacity}); \`switchyard trace show <trace>\` draws one`);
    return 0;
  });
}
