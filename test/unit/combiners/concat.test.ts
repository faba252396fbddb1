import { describe, expect, it } from 'vitest';
import { concat } from '../../../runtime/combiners/concat.ts';
import { CombinerInputError } from '../../../runtime/combiners/types.ts';

describe('concat combiner', () => {
  it.each([
    {
      name: 'rows side by side: [2, 3] + [2, 2] → [2, 5]',
      tensors: [
        { shape: [2, 3], values: [1, 2, 3, 4, 5, 6] },
        { shape: [2, 2], values: [10, 20, 30, 40] },
      ],
      expected: { shape: [2, 5], values: [1, 2, 3, 10, 20, 4, 5, 6, 30, 40] },
    },
    {
      name: 'vectors: [2] + [1] + [3] → [6]',
      tensors: [
        { shape: [2], values: [1, 2] },
        { shape: [1], values: [3] },
        { shape: [3], values: [4, 5, 6] },
      ],
      expected: { shape: [6], values: [1, 2, 3, 4, 5, 6] },
    },
    {
      name: 'rank 3: [2, 1, 2] + [2, 1, 1] → [2, 1, 3]',
      tensors: [
        { shape: [2, 1, 2], values: [1, 2, 3, 4] },
        { shape: [2, 1, 1], values: [9, 8] },
      ],
      expected: { shape: [2, 1, 3], values: [1, 2, 9, 3, 4, 8] },
    },
    {
      name: 'a child with an empty last axis',
      tensors: [
        { shape: [1, 2], values: [1, 2] },
        { shape: [1, 0], values: [] },
      ],
      expected: { shape: [1, 2], values: [1, 2] },
    },
  ])('$name', ({ tensors, expected }) => {
    expect(concat(tensors)).toEqual(expected);
  });

  it('names the child whose leading dimensions differ', () => {
    const tensors = [
      { shape: [2, 3], values: [1, 2, 3, 4, 5, 6] },
      { shape: [3, 2], values: [1, 2, 3, 4, 5, 6] },
    ];
    expect(() => concat(tensors, ['features', 'embedding'])).toThrow(
      'concat: child "embedding" (index 1) has shape [3, 2] but child "features" (index 0) has [2, 3]; all dimensions but the last must match',
    );
    expect(() => concat(tensors)).toThrow(expect.objectContaining({ child: 1 }));
  });

  it('rejects tensors of different rank and scalars', () => {
    expect(() => concat([{ shape: [1, 2], values: [1, 2] }, { shape: [2], values: [1, 2] }])).toThrow(
      'child 1 has shape [2] but child 0 has [1, 2]',
    );
    expect(() => concat([{ shape: [], values: [1] }])).toThrow(CombinerInputError);
    expect(() => concat([{ shape: [], values: [1] }])).toThrow('concat needs tensors of rank 1 or more');
  });
});
