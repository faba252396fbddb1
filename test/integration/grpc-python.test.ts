/**
 * A real, non-JavaScript gRPC client against the seed graph: Python's grpcio (Debian's python3-grpcio), with
 * stubs compiled from the .proto at test time by grpc_tools.protoc. Real compiler, processes and onnxruntime.
 * Skipped, with the reason, when /usr/bin/python3 lacks grpcio or grpc_tools (`.ci/run` installs them).
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OIP_PROTO_FILE } from '../../runtime/grpc/load-proto.ts';
import { startGraph, type RunningGraph } from '../helpers/graph-engine.ts';
import { PYTHON, pythonGrpcMissing } from '../helpers/python-grpc.ts';

const CLIENT = path.resolve(import.meta.dirname, '../fixtures/grpc/oip_grpc_client.py');
const SEED = path.resolve('examples/seed/graph.yaml');

const missing = pythonGrpcMissing();

interface Line {
  call: string;
  ok: boolean;
  code?: string;
  details?: string;
  reply?: any;
  decoded?: number[];
}

describe.skipIf(missing !== undefined)(`a Python grpcio client${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let graph: RunningGraph;
  let stubs: string;
  let lines: Map<string, Line>;
  beforeAll(async () => {
    stubs = await mkdtemp(path.join(os.tmpdir(), 'switchyard-pygrpc-'));
    execFileSync(PYTHON, ['-m', 'grpc_tools.protoc', '-I', path.dirname(OIP_PROTO_FILE), `--python_out=${stubs}`, `--grpc_python_out=${stubs}`, path.basename(OIP_PROTO_FILE)]);
    graph = await startGraph(SEED, { engine: { grpcPort: 0 } });
    const { stdout } = await promisify(execFile)(PYTHON, [CLIENT, stubs, graph.engine.grpcAddress!, 'seed'], { timeout: 60_000 });
    lines = new Map(stdout.trim().split('\n').map((l) => JSON.parse(l) as Line).map((l) => [l.call, l]));
  });
  afterAll(async () => {
    await graph?.stop();
    if (stubs) await rm(stubs, { recursive: true, force: true });
  });

  const line = (call: string): Line => {
    const found = lines.get(call);
    if (found === undefined) throw new Error(`the Python client printed nothing for ${call}`);
    return found;
  };

  it('health and metadata RPCs answer as the spec says', () => {
    expect(line('ServerLive')).toEqual({ call: 'ServerLive', ok: true, reply: { live: true } });
    expect(line('ServerReady').reply).toEqual({ ready: true });
    expect(line('ServerMetadata').reply).toEqual({ name: 'switchyard', version: '0.1.0', extensions: ['binary_tensor_data'] });
    expect(line('ModelReady').reply).toEqual({ ready: true });
    expect(line('ModelMetadata').reply).toEqual({
      name: 'seed',
      versions: ['1'],
      platform: 'switchyard',
      inputs: [{ name: 'features', datatype: 'FP32', shape: ['-1', '4'] }],
      outputs: [{ name: 'probabilities', datatype: 'FP32', shape: ['-1', '3'] }],
    });
  });

  it('ModelInfer with typed contents: class probabilities for each row, id and parameters carried', () => {
    const { reply } = line('ModelInfer contents');
    expect(reply).toMatchObject({ model_name: 'seed', id: 'py-1' });
    expect(reply.parameters['tags.client']).toEqual({ string_param: 'python' });
    const [output] = reply.outputs;
    expect(output).toMatchObject({ name: 'probabilities', datatype: 'FP32', shape: ['2', '3'] });
    const probabilities = output.contents.fp32_contents as number[];
    expect(probabilities).toHaveLength(6);
    for (const row of [probabilities.slice(0, 3), probabilities.slice(3)]) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('ModelInfer with raw_input_contents answers raw_output_contents', () => {
    const { reply, decoded } = line('ModelInfer raw');
    expect(reply.outputs[0]).toMatchObject({ name: 'probabilities', datatype: 'FP32', shape: ['2', '3'] });
    expect(reply.outputs[0].contents).toBeUndefined();
    expect(decoded).toHaveLength(6);
    expect(decoded!.slice(0, 3).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('errors carry the spec\'s status codes and say what is wrong', () => {
    expect(line('ModelInfer unknown model')).toMatchObject({ ok: false, code: 'NOT_FOUND', details: 'model "nope" is not served here: this graph is served as model "seed"' });
    expect(line('ModelInfer bad shape')).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(line('ModelInfer bad shape').details).toMatch(/inputs\[0\]\.shape\[0\]: expected a non-negative integer dimension, received number -1/);
    expect(line('ModelReady unknown')).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });
});
