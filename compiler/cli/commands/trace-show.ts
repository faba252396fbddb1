/** @module `switchyard trace show <trace-id> [--port 8080] [--json]`: one trace as a waterfall in the terminal. */
import type { Output } from '../output.ts';
import { getTrace, reportingTraceErrors, type EngineAddress } from './trace-client.ts';
import { renderWaterfall } from './trace-waterfall.ts';

export interface TraceShowOptions extends EngineAddress {
  json?: boolean;
  width?: string;
}

export async function traceShowCommand(id: string, options: TraceShowOptions, out: Output): Promise<number> {
  const width = Number(options.width ?? 80);
  if (!Number.isInteger(width) || width < 60) {
    out.error(`--width takes a whole number of columns, at least 60; received "${options.width}"`);
    return 1;
  }
  return reportingTraceErrors(out, async () => {
    const view = await getTrace(options, id);
    if (options.json) out.info(JSON.stringify(view, null, 2));
    else for (const line of renderWaterfall(view, { width })) out.info(line);
    return 0;
  });
}
