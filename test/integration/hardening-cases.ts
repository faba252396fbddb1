/**
 * The malformed inputs of the hardening test, by protocol. Each names the answer it must get: the HTTP status
 * (or gRPC code) and a pattern the message must match — the field, and what was expected there.
 */

/** The body limit the hardening graph runs with (`--max-body-size`). */
export const LIMIT = 512 * 1024;

export interface Case {
  name: string;
  /** A JSON value, or raw text sent as it is. */
  body: unknown;
  headers?: Record<string, string>;
  status: number;
  message: RegExp;
}

const deepArray = (depth: number, leaf = '1') => '['.repeat(depth) + leaf + ']'.repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const oversized = (prefix: string, suffix: string) => prefix + '1.5,'.repeat(LIMIT / 4) + '1' + suffix;
const PROTOTYPE = /is not an accepted key \(it could change object prototypes\)/;

export const SELDON_CASES: Case[] = [
  { name: 'not an object', body: [1, 2], status: 400, message: /\(body\): expected object, received array of 2/ },
  { name: 'wrong type for ndarray', body: { data: { ndarray: 'abc' } }, status: 400, message: /data\.ndarray: expected array, received string "abc"/ },
  { name: 'wrong type for a tensor value', body: { data: { tensor: { shape: [2], values: [1, 'two'] } } }, status: 400, message: /data\.tensor\.values\[1\]: expected a number, received string "two"/ },
  { name: 'NaN written as a string', body: { data: { tensor: { shape: [1], values: ['NaN'] } } }, status: 400, message: /data\.tensor\.values\[0\]: expected a number, received string "NaN" \(JSON has no NaN or Infinity/ },
  { name: 'a NaN literal (not JSON)', body: '{"data":{"ndarray":[[NaN]]}}', status: 400, message: /the request body is not valid JSON/ },
  { name: 'an Infinity literal (not JSON)', body: '{"data":{"tensor":{"shape":[1],"values":[Infinity]}}}', status: 400, message: /the request body is not valid JSON/ },
  { name: 'a number that overflows to Infinity', body: '{"data":{"tensor":{"shape":[1],"values":[1e999]}}}', status: 400, message: /data\.tensor\.values\[0\]: expected a number, received number Infinity/ },
  { name: 'a ragged numeric ndarray', body: { data: { ndarray: [[1, 2], [3]] } }, status: 400, message: /data\.ndarray\[1\]: expected 2 elements like data\.ndarray\[0\], received 1/ },
  { name: 'shape and values disagreeing', body: { data: { tensor: { shape: [2, 2], values: [1, 2, 3] } } }, status: 400, message: /data\.tensor\.values: expected 4 values \(the product of shape \[2,2\]\), received 3/ },
  { name: 'a negative dimension', body: { data: { tensor: { shape: [-1, 2], values: [1, 2] } } }, status: 400, message: /data\.tensor\.shape\[0\]: expected a non-negative integer dimension, received number -1/ },
  { name: 'an enormous dimension', body: { data: { tensor: { shape: [1e12], values: [1] } } }, status: 400, message: /data\.tensor\.shape\[0\]: expected a non-negative integer dimension, received number 1000000000000/ },
  { name: 'dimensions whose product is enormous', body: { data: { tensor: { shape: [100000, 100000], values: [1] } } }, status: 400, message: /data\.tensor\.values: expected 10000000000 values/ },
  { name: '100k-deep arrays', body: `{"data":{"ndarray":${deepArray(100_000)}}}`, status: 400, message: /data\.ndarray\[0\]\[0\].*: is nested deeper than 100 levels/ },
  { name: '50k-deep objects in jsonData', body: `{"jsonData":${deepObject(50_000)}}`, status: 400, message: /jsonData\.a\.a.*: is nested deeper than 100 levels/ },
  { name: 'an unknown field', body: { dat: { ndarray: [1] } }, status: 400, message: /dat: unknown field; expected one of "status", "meta", "data"/ },
  { name: 'two payloads', body: { strData: 'a', jsonData: 1 }, status: 400, message: /expected exactly one of data, binData, strData, jsonData; received strData and jsonData/ },
  { name: 'invalid base64', body: { binData: '!!not base64!!' }, status: 400, message: /binData: expected base64-encoded bytes, received string "!!not base64!!"/ },
  { name: 'a non-integer routing', body: { strData: 'x', meta: { routing: { r: 1.5 } } }, status: 400, message: /meta\.routing\.r: expected int, received number 1\.5/ },
  { name: '__proto__ in tags', body: '{"strData":"x","meta":{"tags":{"__proto__":{"polluted":true}}}}', status: 400, message: new RegExp(`meta\\.tags\\.__proto__: ${PROTOTYPE.source}`) },
  { name: 'constructor.prototype in jsonData', body: { jsonData: { constructor: { prototype: { polluted: true } } } }, status: 400, message: new RegExp(`jsonData\\.constructor\\.prototype: ${PROTOTYPE.source}`) },
  { name: 'the wrong content type', body: '<data>1</data>', headers: { 'content-type': 'application/xml' }, status: 415, message: /content-type: .* does not accept "application\/xml"; expected application\/json/ },
  { name: 'an empty body', body: '', status: 400, message: /the request body is empty/ },
  { name: 'a body over the limit', body: oversized('{"data":{"ndarray":[', ']}}'), status: 413, message: /larger than the limit of 524288 bytes|the limit is 524288 bytes/ },
];

export const V2_CASES: Case[] = [
  { name: 'wrong type for inputs', body: { inputs: 'x' }, status: 400, message: /inputs: expected array, received string "x"/ },
  { name: 'wrong type for shape', body: { inputs: [{ name: 'x', shape: '2', datatype: 'FP32', data: [1, 2] }] }, status: 400, message: /inputs\[0\]\.shape: expected array, received string "2"/ },
  { name: 'NaN written as a string', body: { inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: ['NaN'] }] }, status: 400, message: /inputs\[0\]\.data\[0\]: expected a finite number within ±3\.4028234663852886e\+38 for FP32, received string "NaN"; JSON has no NaN or Infinity/ },
  { name: 'a NaN literal (not JSON)', body: '{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[NaN]}]}', status: 400, message: /the request body is not valid JSON/ },
  { name: 'a number that overflows to Infinity', body: '{"inputs":[{"name":"x","shape":[1],"datatype":"FP64","data":[1e999]}]}', status: 400, message: /inputs\[0\]\.data\[0\]: expected a finite number .* for FP64, received number Infinity/ },
  { name: 'ragged nested data', body: { inputs: [{ name: 'x', shape: [2, 2], datatype: 'FP32', data: [[1, 2], [3]] }] }, status: 400, message: /inputs\[0\]\.data: expected 4 element\(s\) \(the product of shape \[2,2\]\), received 3/ },
  { name: 'shape and data disagreeing', body: { inputs: [{ name: 'x', shape: [3], datatype: 'INT32', data: [1, 2] }] }, status: 400, message: /inputs\[0\]\.data: expected 3 element\(s\)/ },
  { name: 'a negative dimension', body: { inputs: [{ name: 'x', shape: [-1], datatype: 'FP32', data: [1] }] }, status: 400, message: /inputs\[0\]\.shape\[0\]: expected a non-negative integer dimension, received number -1 \(-1 marks a variable dimension/ },
  { name: 'an enormous dimension', body: { inputs: [{ name: 'x', shape: [1e12], datatype: 'FP32', data: [1] }] }, status: 400, message: /inputs\[0\]\.data: expected 1000000000000 element\(s\)/ },
  { name: 'a dimension beyond any integer', body: { inputs: [{ name: 'x', shape: [1e300], datatype: 'FP32', data: [1] }] }, status: 400, message: /inputs\[0\]\.shape\[0\]: expected a non-negative integer dimension, received number 1e\+300/ },
  { name: '100k-deep data', body: `{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":${deepArray(100_000)}}]}`, status: 400, message: /inputs\[0\]\.data\[0\].*: is nested deeper than 100 levels/ },
  { name: 'an unknown datatype', body: { inputs: [{ name: 'x', shape: [1], datatype: 'FP322', data: [1] }] }, status: 400, message: /inputs\[0\]\.datatype: unsupported datatype string "FP322" \(did you mean FP32\?\); expected one of BOOL, UINT8/ },
  { name: 'an INT8 out of range', body: { inputs: [{ name: 'x', shape: [1], datatype: 'INT8', data: [300] }] }, status: 400, message: /inputs\[0\]\.data\[0\]: expected an integer in \[-128, 127\] for INT8, received number 300/ },
  { name: 'a negative UINT64', body: { inputs: [{ name: 'x', shape: [1], datatype: 'UINT64', data: [-1] }] }, status: 400, message: /inputs\[0\]\.data\[0\]: expected an integer in \[0, 9007199254740991\] for UINT64/ },
  { name: 'an INT64 beyond 2^53-1', body: '{"inputs":[{"name":"x","shape":[1],"datatype":"INT64","data":[9223372036854775807]}]}', status: 400, message: /for INT64 \(JSON numbers beyond 2\^53-1 lose precision\)/ },
  { name: 'a string for BOOL', body: { inputs: [{ name: 'x', shape: [1], datatype: 'BOOL', data: ['true'] }] }, status: 400, message: /inputs\[0\]\.data\[0\]: expected true or false for BOOL, received string "true"/ },
  { name: '__proto__ in parameters', body: '{"parameters":{"__proto__":{"x":1}},"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}]}', status: 400, message: new RegExp(`parameters\\.__proto__: ${PROTOTYPE.source}`) },
  { name: 'binary_data_size without the binary header', body: { inputs: [{ name: 'x', shape: [1], datatype: 'FP32', parameters: { binary_data_size: 4 }, data: [1] }] }, status: 400, message: /inputs\[0\]\.parameters\.binary_data_size: binary input data needs the Inference-Header-Content-Length header/ },
  { name: 'a binary header longer than the body', body: GOOD_V2_TEXT(), headers: { 'inference-header-content-length': '99999' }, status: 400, message: /Inference-Header-Content-Length: expected the length in bytes of the JSON/ },
  { name: 'the wrong content type', body: '{}', headers: { 'content-type': 'multipart/form-data; boundary=x' }, status: 415, message: /content-type: POST \/v2\/models\/\{name\}\/infer does not accept "multipart\/form-data"; expected application\/json/ },
  { name: 'octet-stream without the binary header', body: 'xxxx', headers: { 'content-type': 'application/octet-stream' }, status: 415, message: /application\/octet-stream needs the Inference-Header-Content-Length header/ },
  { name: 'a body over the limit', body: oversized('{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[', ']}]}'), status: 413, message: /larger than the limit of 524288 bytes|the limit is 524288 bytes/ },
];

function GOOD_V2_TEXT(): string {
  return JSON.stringify({ inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1] }] });
}

export const FEEDBACK_CASES: Case[] = [
  { name: 'a reward of the wrong type', body: { reward: 'high' }, status: 400, message: /reward: expected number, received string "high"/ },
  { name: 'a malformed message inside', body: { request: { data: { ndarray: 'x' } }, reward: 1 }, status: 400, message: /request\.data\.ndarray: expected array, received string "x"/ },
  { name: '100k-deep truth', body: `{"truth":{"jsonData":${deepArray(100_000)}}}`, status: 400, message: /truth\.jsonData\[0\].*: is nested deeper than 100 levels/ },
  { name: '__proto__ at the top', body: '{"__proto__":{"x":1},"reward":1}', status: 400, message: new RegExp(`__proto__: ${PROTOTYPE.source}`) },
  { name: 'the wrong content type', body: 'reward=1', headers: { 'content-type': 'application/xml' }, status: 415, message: /content-type: POST \/api\/v1\.0\/feedback does not accept "application\/xml"/ },
  { name: 'a body over the limit', body: oversized('{"truth":{"data":{"ndarray":[', ']}}}'), status: 413, message: /larger than the limit|the limit is/ },
];

export interface GrpcCase {
  name: string;
  request?: unknown;
  /** Bytes sent as the request message instead of an encoded `request`. */
  raw?: Buffer;
  code: string;
  message: RegExp;
}

const tensor = (extra: Record<string, unknown>) => ({ model_name: 'forms', inputs: [{ name: 'x', datatype: 'FP32', shape: [1], ...extra }] });

export const GRPC_CASES: GrpcCase[] = [
  { name: 'bytes that are not a protobuf message', raw: Buffer.from([0x0a, 0x01, 0x41, 0xff, 0xff]), code: 'INVALID_ARGUMENT', message: /the request is not a valid ModelInferRequest protobuf message/ },
  { name: 'NaN in fp32_contents', request: tensor({ contents: { fp32_contents: [NaN] } }), code: 'INVALID_ARGUMENT', message: /inputs\[0\]\.contents\.fp32_contents\[0\]: NaN cannot be carried/ },
  { name: 'Infinity in fp64_contents', request: { model_name: 'forms', inputs: [{ name: 'x', datatype: 'FP64', shape: [1], contents: { fp64_contents: [Infinity] } }] }, code: 'INVALID_ARGUMENT', message: /fp64_contents\[0\]: Infinity cannot be carried/ },
  { name: 'shape and contents disagreeing', request: { model_name: 'forms', inputs: [{ name: 'x', datatype: 'FP32', shape: [3], contents: { fp32_contents: [1] } }] }, code: 'INVALID_ARGUMENT', message: /inputs\[0\]\.data: expected 3 element\(s\)/ },
  { name: 'a negative dimension', request: { model_name: 'forms', inputs: [{ name: 'x', datatype: 'FP32', shape: [-4], contents: { fp32_contents: [1] } }] }, code: 'INVALID_ARGUMENT', message: /inputs\[0\]\.shape\[0\]: expected a non-negative integer dimension, received number -4/ },
  { name: 'an enormous raw shape', request: { ...tensor({ shape: ['4000000000000'] }), raw_input_contents: [Buffer.alloc(4)] }, code: 'INVALID_ARGUMENT', message: /raw_input_contents\[0\]: expected 16000000000000 bytes/ },
  { name: 'an unknown datatype', request: { model_name: 'forms', inputs: [{ name: 'x', datatype: 'COMPLEX64', shape: [1] }], raw_input_contents: [Buffer.alloc(8)] }, code: 'INVALID_ARGUMENT', message: /inputs\[0\]\.datatype: unsupported datatype string "COMPLEX64"/ },
  { name: 'a UINT8 out of range', request: { model_name: 'forms', inputs: [{ name: 'x', datatype: 'UINT8', shape: [1], contents: { uint_contents: [256] } }] }, code: 'INVALID_ARGUMENT', message: /expected an integer in \[0, 255\] for UINT8, received number 256/ },
  { name: 'a BYTES length prefix past the end', request: { model_name: 'forms', inputs: [{ name: 'x', datatype: 'BYTES', shape: [1] }], raw_input_contents: [Buffer.from([200, 0, 0, 0, 65])] }, code: 'INVALID_ARGUMENT', message: /element 0: its length prefix says 200 byte\(s\) but only 1 remain/ },
  { name: 'a BOOL byte that is not 0 or 1', request: { model_name: 'forms', inputs: [{ name: 'x', datatype: 'BOOL', shape: [1] }], raw_input_contents: [Buffer.from([7])] }, code: 'INVALID_ARGUMENT', message: /element 0: expected 0 or 1 for BOOL, received byte 7/ },
  { name: '__proto__ as a parameter name', request: { ...tensor({ contents: { fp32_contents: [1] } }), parameters: { ['__proto__']: { string_param: 'x' } } }, code: 'INVALID_ARGUMENT', message: /parameters\.__proto__: is not an accepted key/ },
  { name: 'a message over the size limit', request: { ...tensor({ datatype: 'UINT8', shape: [LIMIT + 1] }), raw_input_contents: [Buffer.alloc(LIMIT + 1)] }, code: 'RESOURCE_EXHAUSTED', message: /./ },
];
