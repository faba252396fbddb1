/**
 * @module Building Open Inference Protocol responses and model metadata, dropping absent optional fields.
 */
import { shapeProduct } from './_arrays.ts';
import { ProtocolError, REASONS } from './errors.ts';
import { checkElement } from './v2-datatypes.ts';
import type { InferenceParameters, InferenceResponse, MetadataTensor, ModelMetadataResponse, ResponseOutput } from './v2-types.ts';

export interface InferenceResponseInit {
  modelName: string;
  modelVersion?: string | undefined;
  id?: string | undefined;
  parameters?: InferenceParameters | undefined;
  outputs: ResponseOutput[];
}

/**
 * An `InferenceResponse`. Each output's element count must equal the product of its shape and each element
 * must fit its datatype; otherwise this is a 500 `bad_output` error naming the output.
 */
export function buildInferenceResponse(init: InferenceResponseInit): InferenceResponse {
  init.outputs.forEach((output, i) => {
    const field = `outputs[${i}]`;
    const expected = shapeProduct(output.shape);
    if (expected !== output.data.length) {
      throw new ProtocolError(
        `${field}.data: output "${output.name}" has ${output.data.length} element(s) but shape [${output.shape.join(',')}] needs ${expected}`,
        { status: 500, reason: REASONS.badOutput, field: `${field}.data` },
      );
    }
    for (let j = 0; j < output.data.length; j++) {
      const problem = checkElement(output.datatype, output.data[j]);
      if (problem !== undefined) {
        throw new ProtocolError(`${field}.data[${j}]: output "${output.name}": ${problem}`, {
          status: 500,
          reason: REASONS.badOutput,
          field: `${field}.data[${j}]`,
        });
      }
    }
  });
  const response: InferenceResponse = { model_name: init.modelName, outputs: init.outputs };
  if (init.modelVersion !== undefined) response.model_version = init.modelVersion;
  if (init.id !== undefined) response.id = init.id;
  if (init.parameters !== undefined && Object.keys(init.parameters).length > 0) response.parameters = init.parameters;
  return response;
}

export interface ModelMetadataInit {
  name: string;
  platform: string;
  versions?: string[] | undefined;
  inputs?: MetadataTensor[] | undefined;
  outputs?: MetadataTensor[] | undefined;
}

/** `GET /v2/models/{name}`'s body. */
export function buildModelMetadata(init: ModelMetadataInit): ModelMetadataResponse {
  const body: ModelMetadataResponse = { name: init.name, platform: init.platform, inputs: init.inputs ?? [], outputs: init.outputs ?? [] };
  if (init.versions !== undefined && init.versions.length > 0) body.versions = init.versions;
  return body;
}
