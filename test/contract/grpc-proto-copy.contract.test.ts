/**
 * The run time serves gRPC from its own copies of the Open Inference Protocol .proto and of Seldon's
 * prediction.proto with the TensorFlow protos it imports (runtime/grpc/proto), so it never needs the contracts
 * folder; the copies must stay byte-identical to the published contracts, licence header and file included.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OIP_PROTO_FILE, SELDON_PROTO_DIR, SELDON_PROTO_FILES } from '../../runtime/grpc/load-proto.ts';
import { contractsDir, contractsMissing } from './_schemas.ts';

const missing = contractsMissing();

describe('the gRPC .proto copy', () => {
  it('keeps the upstream licence header and declares inference.GRPCInferenceService', () => {
    const copy = readFileSync(OIP_PROTO_FILE, 'utf8');
    expect(copy.startsWith('// Copyright 2023 The KServe Authors.\n//\n// Licensed under the Apache License, Version 2.0')).toBe(true);
    expect(copy).toMatch(/^package inference;$/m);
    expect(copy).toMatch(/^service GRPCInferenceService$/m);
  });

  it.skipIf(missing !== undefined)(`is byte-identical to the contract${missing ? ` (skipped: ${missing})` : ''}`, () => {
    const contract = readFileSync(path.join(contractsDir(), 'open-inference-protocol', 'open_inference_grpc.proto'));
    expect(readFileSync(OIP_PROTO_FILE).equals(contract)).toBe(true);
  });

  it.skipIf(missing !== undefined)(`keeps Seldon's prediction.proto, its TensorFlow imports and Seldon's licence byte-identical${missing ? ` (skipped: ${missing})` : ''}`, () => {
    for (const file of [...SELDON_PROTO_FILES, 'LICENSE']) {
      const contract = readFileSync(path.join(contractsDir(), 'seldon-core', file));
      expect(readFileSync(path.join(SELDON_PROTO_DIR, file)).equals(contract), file).toBe(true);
    }
  });
});
