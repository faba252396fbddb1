/**
 * The run time serves gRPC from its own copy of the Open Inference Protocol .proto (runtime/grpc/proto), so it
 * never needs the contracts folder; the copy must stay byte-identical to the published contract, licence
 * header included.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OIP_PROTO_FILE } from '../../runtime/grpc/load-proto.ts';
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
});
