/** Modules the compiler provides to function entries through its esbuild plugins. */
/** The user's component module, resolved by the compiler's esbuild plugin. */
declare module 'switchyard:component' {
  const component: Record<string, unknown>;
  export = component;
}

/** The components fused into the orchestrator (spec.fusion: auto), by node name. */
declare module 'switchyard:fused-components' {
  const components: Record<string, Record<string, unknown>>;
  export default components;
}

/** The gRPC clients of `grpc-v2` and `seldon-grpc` remote nodes (functions/orchestrator/grpc-client.ts), undefined when the graph has none. */
declare module 'switchyard:grpc-client' {
  const grpcClients: (() => import('../runtime/orchestrator/remote-client.ts').RemoteGrpcClients) | undefined;
  export default grpcClients;
}

/** A .proto file imported into a bundle as its text (esbuild `loader: { '.proto': 'text' }`). */
declare module '*.proto' {
  const text: string;
  export default text;
}
