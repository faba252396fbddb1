/**
 * The orchestrator loads grpc-js only when a remote node speaks gRPC: the compiler resolves
 * `switchyard:grpc-client` to the gRPC client for such a graph and to nothing otherwise (real esbuild builds),
 * and grpc-js itself stays external (the runtime image's), so the bundle stays far from a ConfigMap's 1 MiB.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../../compiler/cli/build-graph.ts';

const graph = (protocol: string) => `apiVersion: switchyard.dev/v1alpha1
kind: InferenceGraph
metadata: { name: remote-${protocol} }
spec:
  root: model
  nodes:
    model:
      type: MODEL
      remote: { url: "http://triton.models.svc.cluster.local", protocol: ${protocol} }
`;

describe('the gRPC client in the orchestrator bundle', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-grpc-bundle-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const orchestratorOf = async (protocol: string) => {
    const file = path.join(dir, `${protocol}.yaml`);
    await writeFile(file, graph(protocol));
    const built = await buildGraph(file, { outDir: path.join(dir, protocol) });
    if (!built.ok) throw new Error(built.report);
    return built.functions.find((fn) => fn.kind === 'orchestrator')!;
  };

  it('is bundled in for a graph with a grpc-v2 remote node, and left out for one without', async () => {
    const grpc = await orchestratorOf('grpc-v2');
    const rest = await orchestratorOf('v2');
    const requiresGrpcJs = async (file: string) => (await readFile(file, 'utf8')).includes('("@grpc/grpc-js")');
    expect(grpc.inputs).toContain('functions/orchestrator/grpc-client.ts');
    expect(await requiresGrpcJs(grpc.file)).toBe(true);
    expect(rest.inputs).not.toContain('functions/orchestrator/grpc-client.ts');
    expect(await requiresGrpcJs(rest.file)).toBe(false);
    // grpc-js, proto-loader and protobufjs are not in the bundle: only the client and the .proto's text are.
    expect(grpc.inputs.filter((input) => input.includes('node_modules/'))).toEqual(rest.inputs.filter((input) => input.includes('node_modules/')));
    expect(grpc.bytes).toBeLessThan(rest.bytes + 64 * 1024);
  });

  it('is bundled in for a graph with a seldon-grpc remote node, with Seldon\'s .proto files as text', async () => {
    const grpc = await orchestratorOf('seldon-grpc');
    const rest = await orchestratorOf('seldon');
    expect(grpc.inputs).toContain('functions/orchestrator/grpc-client.ts');
    expect(grpc.inputs).toContain('runtime/grpc/proto/seldon-core/prediction.proto');
    expect(rest.inputs).not.toContain('functions/orchestrator/grpc-client.ts');
    expect((await readFile(grpc.file, 'utf8')).includes('("@grpc/grpc-js")')).toBe(true);
    expect(grpc.bytes).toBeLessThan(rest.bytes + 64 * 1024);
  });
});
