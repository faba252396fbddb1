/**
 * @module A graph served by its own engine process as a measured variant: POSTs to its predictions URL. The first
 * request cold-starts the graph; each warm-up runs at the measured concurrency, so the autoscaler has sized the
 * pools before anything is counted.
 */
import { startEngineProcess, type EngineProcess } from './engine-process.ts';
import type { EngineHostConfig } from './engine-host.ts';
import { runLoad } from './load.ts';
import { engineProcesses } from './proc.ts';
import type { Variant } from './variants.ts';

/** Fails a load run on any answer but 200. */
export const expectOk = (status: number, body: Buffer): void => {
  if (status !== 200) throw new Error(`HTTP ${status}: ${body.toString('utf8').slice(0, 300)}`);
};

export async function engineVariant(
  name: string,
  engineConfig: EngineHostConfig,
  options: { body: string; warmupMs: number; check?: (status: number, body: Buffer) => void },
): Promise<{ variant: Variant; engine: EngineProcess }> {
  const engine = await startEngineProcess(engineConfig);
  const url = `${engine.url}/api/v1.0/predictions`;
  const { body, warmupMs } = options;
  const check = options.check ?? expectOk;
  try {
    await runLoad({ url, body, concurrency: 1, durationMs: 0, warmupRequests: 1, check });
  } catch (error) {
    await engine.stop();
    throw error;
  }
  return {
    engine,
    variant: {
      name,
      warmup: async (concurrency) => void (await runLoad({ url, body, concurrency, durationMs: warmupMs, check })),
      measure: (concurrency, durationMs) => runLoad({ url, body, concurrency, durationMs, check }),
      processes: () => engineProcesses(engine.pid),
    },
  };
}
