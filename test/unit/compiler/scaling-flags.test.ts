import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCount, SCALING_FLAGS, scalingOverrides } from '../../../compiler/cli/scaling-flags.ts';
import { createProgram } from '../../../compiler/cli/main.ts';
import { compileSpecFile } from '../../../compiler/plan/index.ts';

describe('switchyard up: autoscaling flags', () => {
  it('turns every flag into the plan\'s units', () => {
    expect(
      scalingOverrides({
        minScale: '1',
        maxScale: '3',
        initialScale: '2',
        target: '10',
        targetUtilization: '50%',
        stableWindow: '6s',
        panicWindow: '20',
        panicThreshold: '150%',
        scaleToZeroGrace: '1500ms',
        scaleDownDelay: '2s',
      }),
    ).toEqual({
      minScale: 1,
      maxScale: 3,
      initialScale: 2,
      target: 10,
      targetUtilization: 0.5,
      stableWindowMs: 6000,
      panicWindowPercentage: 20,
      panicThresholdPercentage: 150,
      scaleToZeroGracePeriodMs: 1500,
      scaleDownDelayMs: 2000,
    });
    expect(scalingOverrides({})).toEqual({});
  });

  it('names the flag and what to write for a malformed value', () => {
    expect(() => scalingOverrides({ maxScale: 'many' })).toThrow('--max-scale takes a whole number such as 4; received "many"');
    expect(() => scalingOverrides({ minScale: '-1' })).toThrow(/--min-scale takes a whole number/);
    expect(() => scalingOverrides({ initialScale: '1.5' })).toThrow(/--initial-scale takes a whole number/);
    expect(() => scalingOverrides({ target: 'lots' })).toThrow(/--target takes a number of concurrent requests/);
    expect(() => scalingOverrides({ panicThreshold: 'x%' })).toThrow('--panic-threshold takes a percentage such as 70 or 70%; received "x"');
    expect(() => scalingOverrides({ targetUtilization: '0' })).toThrow(/--target-utilization takes a percentage above 0 and at most 100/);
    expect(() => scalingOverrides({ targetUtilization: '120' })).toThrow(/at most 100/);
    expect(() => scalingOverrides({ stableWindow: 'soon' })).toThrow(/--stable-window takes a duration/);
    expect(() => parseCount('--max-queue', '')).toThrow(/--max-queue takes a whole number/);
  });

  it('are all options of `switchyard up`, with --no-graph-activation, --max-queue and --queue-timeout', () => {
    const up = createProgram().commands.find((c) => c.name() === 'up')!;
    const flags = up.options.map((o) => o.long);
    for (const { flag } of SCALING_FLAGS) expect(flags).toContain(flag);
    expect(flags).toEqual(expect.arrayContaining(['--tick', '--max-queue', '--queue-timeout', '--no-graph-activation']));
  });

  it('win over the node\'s scaling and spec.defaults.scaling, for every function', async () => {
    const file = path.resolve('test/fixtures/engine/burst.yaml');
    const result = await compileSpecFile(file, { overrides: { scaling: scalingOverrides({ maxScale: '3', panicThreshold: '150', stableWindow: '7s' }) } });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    // The file says maxScale 8 and containerConcurrency 4 for the doubler.
    expect(result.plan.functions.doubler!.scaling).toMatchObject({ maxScale: 3, containerConcurrency: 4, panicThresholdPercentage: 150, stableWindowMs: 7000 });
    expect(result.plan.functions.orchestrator!.scaling).toMatchObject({ maxScale: 3, panicThresholdPercentage: 150, stableWindowMs: 7000 });
  });

  it('out-of-range values are reported with the file\'s rules, as set on the command line', async () => {
    const result = await compileSpecFile(path.resolve('test/fixtures/engine/burst.yaml'), { overrides: { scaling: scalingOverrides({ panicThreshold: '50' }) } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toMatchObject([{ path: ['overrides', 'scaling', 'panicThresholdPercentage'] }]);
    expect(result.issues[0]!.hint).toMatch(/110 to 1000 \(set on the command line\)/);
  });
});
