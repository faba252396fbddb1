/** @module `switchyard compile graph.yaml --out DIR` */
import path from 'node:path';
import { buildGraph } from '../build-graph.ts';
import { bytes, table, type Output } from '../output.ts';
import { fusionReport } from '../fusion-report.ts';

export async function compileCommand(file: string, options: { out: string; image?: string }, out: Output): Promise<number> {
  const result = await buildGraph(file, { outDir: options.out, log: (line) => out.info(line), ...(options.image ? { image: options.image } : {}) });
  if (!result.ok) {
    out.error(result.report);
    return 1;
  }
  const rel = path.relative(process.cwd(), result.outDir) || '.';
  out.info(`compiled graph "${result.plan.graph}" in ${Math.round(result.elapsedMs)} ms → ${rel}/`);
  out.info('');
  out.info(
    table(
      ['function', 'kind', 'nodes', 'bundle', 'size'],
      result.functions
        .sort((a, b) => a.function.localeCompare(b.function))
        .map((fn) => [fn.function, fn.kind, result.plan.functions[fn.function]!.nodes.join(', '), path.relative(result.outDir, fn.file), bytes(fn.bytes)]),
    ),
  );
  for (const node of Object.values(result.plan.nodes)) {
    const impl = node.implementation;
    for (const shadow of node.shadows ?? []) out.info(`shadow: ${shadow} gets a copy of every input of ${node.name} (its answers are compared, never returned)`);
    if (impl.kind === 'onnx' && impl.source !== undefined) {
      out.info(`model: ${node.name} ← ${impl.source.url}${impl.source.sha256 ? ' (sha256 checked)' : ''}${impl.source.secret ? ` (signed with the keys of Secret ${impl.source.secret})` : ''}; on Kubernetes its pod fetches it (init container fetch-models)`);
    }
    if (impl.kind === 'onnx' && impl.claim !== undefined) {
      out.info(`model: ${node.name} on the PersistentVolumeClaim ${impl.claim.name} (pvc://${impl.claim.name}/${impl.claim.path}); its pod mounts the claim and reads it there (Kubernetes only: switchyard up cannot)`);
    }
    if (impl.kind === 'remote') out.info(`remote: ${node.name} → ${impl.url} (${impl.protocol === 'v2' ? `Open Inference Protocol, model ${impl.model}` : impl.protocol === 'grpc-v2' ? `Open Inference Protocol over gRPC, model ${impl.model}` : impl.protocol === 'kserve-v1' ? `KServe V1, model ${impl.model}` : impl.protocol === 'seldon-deployment' ? 'a Seldon graph\'s /api/v1.0/predictions' : impl.protocol === 'seldon-grpc' ? 'Seldon component services over gRPC' : 'Seldon component paths'}; no function is built)`);
  }
  for (const line of fusionReport(result.plan)) out.info(line);
  if (result.grpc !== undefined) {
    out.info(`grpc front end (Knative only; switchyard up serves gRPC itself): ${path.relative(result.outDir, result.grpc.file)} (${bytes(result.grpc.bytes)})`);
  }
  out.info('');
  out.info(`plan:      ${rel}/plan.json`);
  out.info(`manifests: ${rel}/manifests/ (${result.manifests.length} objects; apply with kubectl apply -f ${rel}/manifests/)`);
  return 0;
}
