import { describe, expect, it } from 'vitest';
import { mean } from '../../../runtime/combiners/mean.ts';
import { CombinerInputError } from '../../../runtime/combiners/types.ts';

describe('mean combiner', () => {
  it.each([
    {
      name: 'two [1, 3] probability rows',
      tensors: [
        { shape: [1, 3], values: [0.2, 0.3, 0.5] },
        { shape: [1, 3], values: [0.4, 0.5, 0.1] },
      ],
      expected: { shape: [1, 3], values: [0.30000000000000004, 0.4, 0.3] },
    },
    {
      name: 'three [2, 2] tensors',
      tensors: [
        { shape: [2, 2], values: [1, 2, 3, 4] },
        { shape: [2, 2], values: [3, 4, 5, 6] },
        { shape: [2, 2], values: [5, 6, 7, 8] },
      ],
      expected: { shape: [2, 2], values: [3, 4, 5, 6] },
    },
    { name: 'one child', tensors: [{ shape: [2], values: [1, 2] }], expected: { shape: [2], values: [1, 2] } },
    { name: 'scalars', tensors: [{ shape: [], values: [1] }, { shape: [], values: [2] }], expected: { shape: [], values: [1.5] } },
    { name: 'empty tensors', tensors: [{ shape: [0, 3], values: [] }, { shape: [0, 3], values: [] }], expected: { shape: [0, 3], values: [] } },
  ])('$name', ({ tensors, expected }) => {
    expect(mean(tensors)).toEqual(expected);
  });

  it('names the child whose shape differs', () => {
    const tensors = [
      { shape: [1, 3], values: [1, 2, 3] },
      { shape: [1, 3], values: [1, 2, 3] },
      { shape: [3, 1], values: [1, 2, 3] },
    ];
    expect(() => mean(tensors)).toThrow(
      'mean: child 2 has shape [3, 1] but child 0 has [1, 3]; every child must return the same shape',
    );
    expect(() => mean(tensors, ['model-a', 'model-b', 'model-c'])).toThrow(
      'mean: child "model-c" (index 2) has shape [3, 1] but child "model-a" (index 0) has [1, 3]',
    );
    expect(() => mean(tensors)).toThrow(expect.objectContaining({ name: 'CombinerInputError', child: 2 }));
  });

  it.each([
    { name: 'no children', tensors: [], message: 'mean: no child outputs to combine' },
    { name: 'values that do not fill the shape', tensors: [{ shape: [2, 2], values: [1, 2, 3] }], message: 'child 0 has shape [2, 2] (4 values) but 3 values' },
    { name: 'a bad dimension', tensors: [{ shape: [-1], values: [] }], message: 'child 0 has an invalid shape [-1]' },
    { name: 'a non-number', tensors: [{ shape: [2], values: [1, 'x' as unknown as number] }], message: 'non-numeric value at position 1: "x"' },
  ])('rejects $name', ({ tensors, message }) => {
    expect(() => mean(tensors)).toThrow(CombinerInputError);
    expect(() => mean(tensors)).toThrow(message);
  });

  it('does not change its inputs', () => {
    const a = { shape: [2], values: [1, 2] };
    const out = mean([a, { shape: [2], values: [3, 4] }]);
    out.shape.push(9);
    expect(a).toEqual({ shape: [2], values: [1, 2] });
  });
});
