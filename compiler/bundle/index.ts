/** @module esbuild bundling of a plan's functions, and the build-time/run-time boundary check. */
export { bundleFunctions, PROJECT_ROOT, type BundledFunction, type BundleSources } from './bundle-functions.ts';
export { boundaryViolations } from './boundary.ts';
export { linkRuntimePackages } from './runtime-packages.ts';
export { bundleGrpcGateway, GRPC_BUNDLE_PATH, type BundledGrpcGateway } from './bundle-grpc.ts';
