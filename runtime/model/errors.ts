/**
 * @module The model server's errors.
 *
 * Each carries an HTTP `status`, a short `reason` and (for bad input) the `field` at fault, which is what
 * runtime/protocol's `toProtocolError` reads to answer a protocol-correct error body.
 */

/** The request's payload does not fit the model's input: answered 400. */
export class ModelInputError extends Error {
  readonly status = 400;
  readonly reason = 'invalid_request';
  /** Path of the offending value, e.g. `data.ndarray[1][2]` or `data.tensor.shape`. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'ModelInputError';
    this.field = field;
  }
}

/** The model cannot be loaded (missing file, invalid model, unusable inputs/outputs, bad configuration). */
export class ModelLoadError extends Error {
  readonly status = 500;
  readonly reason = 'load_failed';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ModelLoadError';
  }
}

/** The device the node requires is not available to onnxruntime here. */
export class DeviceUnavailableError extends Error {
  readonly status = 503;
  readonly reason = 'device_unavailable';
  /** The device kind asked for (`nvidia-gpu`, …). */
  readonly device: string;

  constructor(device: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DeviceUnavailableError';
    this.device = device;
  }
}

/** The model was closed (the function is draining): answered 503. */
export class ModelClosedError extends Error {
  readonly status = 503;
  readonly reason = 'not_ready';

  constructor(node: string) {
    super(`model "${node}" is closed`);
    this.name = 'ModelClosedError';
  }
}
