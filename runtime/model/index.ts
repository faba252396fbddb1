/** @module The ONNX model server: load a plan node's model into onnxruntime and serve it as `NodeHandlers`. */
export { loadOnnxNode, type LoadOnnxNodeOptions } from './onnx-node.ts';
export { DeviceUnavailableError, ModelClosedError, ModelInputError, ModelLoadError } from './errors.ts';
export {
  chooseExecutionProviders,
  DEVICE_EXECUTION_PROVIDERS,
  type ExecutionProviderChoice,
  type SupportedBackend,
} from './execution-providers.ts';
export { decodeSeldonData, encodeSeldonData, type DataForm, type DecodedInput, type ExpectedInput } from './codec.ts';
export { toTensorMetadata } from './metadata.ts';
export { createOnnxSession, toOrtSessionOptions } from './session.ts';
