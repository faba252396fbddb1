/** fast-check generators for the protocol fuzz test: valid V2 inputs and Seldon messages, and near-misses. */
import fc from 'fast-check';
import { reshape } from '../../../runtime/protocol/_arrays.ts';
import { findJsonHazard } from '../../../runtime/protocol/json-guard.ts';
import { halfToNumber } from '../../../runtime/protocol/v2-raw.ts';
import { DATATYPES, type Datatype } from '../../../runtime/protocol/v2-types.ts';

const notNegativeZero = (v: number) => !Object.is(v, -0);

/** Shapes with every dimension at least 1 (so that nesting and shape survive every form). */
export const shapes = fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 });

const ELEMENTS: Record<Datatype, fc.Arbitrary<number | boolean | string>> = {
  BOOL: fc.boolean(),
  UINT8: fc.integer({ min: 0, max: 255 }),
  UINT16: fc.integer({ min: 0, max: 65_535 }),
  UINT32: fc.integer({ min: 0, max: 4_294_967_295 }),
  UINT64: fc.maxSafeNat(),
  INT8: fc.integer({ min: -128, max: 127 }),
  INT16: fc.integer({ min: -32_768, max: 32_767 }),
  INT32: fc.integer({ min: -2_147_483_648, max: 2_147_483_647 }),
  INT64: fc.maxSafeInteger().filter(notNegativeZero),
  // Half floats: every finite bit pattern, so raw bytes round-trip exactly.
  FP16: fc.integer({ min: 0, max: 0xffff }).map(halfToNumber).filter((v) => Number.isFinite(v) && notNegativeZero(v)),
  FP32: fc.float({ noNaN: true, noDefaultInfinity: true }).filter(notNegativeZero),
  FP64: fc.double({ noNaN: true, noDefaultInfinity: true }).filter(notNegativeZero),
  BYTES: fc.string({ unit: 'grapheme', maxLength: 6 }),
};

/** A valid V2 input tensor (flat data) of any datatype. */
export const v2Input = fc.constantFrom(...DATATYPES).chain((datatype) =>
  shapes.chain((shape) => {
    const count = shape.reduce((a, b) => a * b, 1);
    return fc.array(ELEMENTS[datatype], { minLength: count, maxLength: count }).map((data) => ({ name: 'x', shape, datatype, data }));
  }),
);

const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const names = fc.option(fc.array(fc.string({ maxLength: 4 }), { minLength: 1, maxLength: 3 }), { nil: undefined });
const safeKey = fc.string({ maxLength: 6 }).filter((k) => k !== '__proto__');

const payload = fc.oneof(
  fc.record({ shape: shapes, names }).chain(({ shape, names: n }) => {
    const count = shape.reduce((a, b) => a * b, 1);
    return fc.array(finite, { minLength: count, maxLength: count }).map((values) => ({ data: { ...(n ? { names: n } : {}), tensor: { shape, values } } }));
  }),
  fc.record({ shape: shapes.filter((s) => s.length > 0), names }).chain(({ shape, names: n }) => {
    const count = shape.reduce((a, b) => a * b, 1);
    return fc.array(finite, { minLength: count, maxLength: count }).map((values) => ({ data: { ...(n ? { names: n } : {}), ndarray: reshape(values, shape) as unknown[] } }));
  }),
  fc.array(fc.oneof(fc.string(), fc.boolean(), fc.array(fc.string(), { maxLength: 2 })), { maxLength: 4 }).map((ndarray) => ({ data: { ndarray } })),
  fc.string().map((strData) => ({ strData })),
  fc.jsonValue({ maxDepth: 4 }).map((jsonData) => ({ jsonData })),
  fc.uint8Array({ maxLength: 12 }).map((bytes) => ({ binData: Buffer.from(bytes).toString('base64') })),
);

const meta = fc.record(
  {
    puid: fc.string({ minLength: 1, maxLength: 8 }),
    tags: fc.dictionary(safeKey, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    routing: fc.dictionary(safeKey, fc.integer({ min: -1, max: 5 }), { maxKeys: 2 }),
    requestPath: fc.dictionary(safeKey, fc.string({ maxLength: 6 }), { maxKeys: 2 }),
  },
  { requiredKeys: [] },
);

/** A valid Seldon message, as JSON would carry it (no -0, no prototype keys). */
export const seldonMessage = fc
  .tuple(payload, fc.option(meta, { nil: undefined }))
  .map(([p, m]) => JSON.parse(JSON.stringify(m === undefined ? p : { ...p, meta: m })) as Record<string, any>)
  .filter((m) => findJsonHazard(m) === undefined);

const weird = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e12, 2 ** 63, 'NaN', '', '!!', null, undefined),
);

/** Messages that are almost Seldon messages: the right keys with values of any kind. */
export const nearSeldon = fc.record(
  {
    data: fc.record({ names: weird, tensor: fc.record({ shape: fc.array(weird, { maxLength: 4 }), values: fc.array(weird, { maxLength: 6 }) }, { requiredKeys: [] }), ndarray: fc.oneof(weird, fc.array(fc.oneof(weird, fc.array(weird)))), tftensor: weird }, { requiredKeys: [] }),
    strData: weird,
    binData: fc.oneof(fc.base64String(), weird),
    jsonData: weird,
    meta: fc.oneof(weird, fc.record({ puid: weird, tags: weird, routing: weird, metrics: fc.array(fc.record({ key: weird, type: weird, value: weird, tags: weird }, { requiredKeys: [] })) }, { requiredKeys: [] })),
    status: weird,
    customData: weird,
  },
  { requiredKeys: [] },
);

/** Requests that are almost V2 inference requests. */
export const nearV2 = fc.record(
  {
    id: weird,
    parameters: fc.oneof(weird, fc.dictionary(fc.string(), weird)),
    inputs: fc.oneof(
      weird,
      fc.array(
        fc.record(
          {
            name: weird,
            shape: fc.oneof(weird, fc.array(fc.oneof(fc.integer({ min: -2, max: 4 }), weird), { maxLength: 3 })),
            datatype: fc.oneof(fc.constantFrom(...DATATYPES), weird),
            data: fc.oneof(weird, fc.array(fc.oneof(weird, fc.array(weird, { maxLength: 3 })), { maxLength: 6 })),
            parameters: fc.oneof(weird, fc.dictionary(fc.constantFrom('binary_data_size', 'content_type', 'x'), weird)),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 3 },
      ),
    ),
    outputs: fc.oneof(weird, fc.array(fc.record({ name: weird, parameters: fc.oneof(weird, fc.dictionary(fc.constantFrom('datatype', 'binary_data'), weird)) }, { requiredKeys: [] }), { maxLength: 2 })),
  },
  { requiredKeys: [] },
);
