import { describe, expect, it } from 'vitest';
import { CombinerInputError, majorityVote } from '../../../runtime/combiners/index.ts';

describe('majority-vote', () => {
  it('gives each row the share of children that scored each class highest', () => {
    const a = { shape: [2, 3], values: [0.7, 0.2, 0.1, 0.1, 0.3, 0.6] }; // votes 0, 2
    const b = { shape: [2, 3], values: [0.2, 0.5, 0.3, 0.2, 0.2, 0.6] }; // votes 1, 2
    const c = { shape: [2, 3], values: [0.6, 0.3, 0.1, 0.5, 0.4, 0.1] }; // votes 0, 0
    expect(majorityVote([a, b, c])).toEqual({ shape: [2, 3], values: [2 / 3, 1 / 3, 0, 1 / 3, 0, 2 / 3] });
  });

  it('keeps a tie visible, and a child\'s own tie goes to its lowest class', () => {
    const a = { shape: [1, 2], values: [0.5, 0.5] }; // tie inside: votes 0
    const b = { shape: [1, 2], values: [0.1, 0.9] }; // votes 1
    expect(majorityVote([a, b])).toEqual({ shape: [1, 2], values: [0.5, 0.5] });
  });

  it('takes a single row of scores, shape [K]', () => {
    expect(majorityVote([{ shape: [3], values: [0, 1, 0] }, { shape: [3], values: [0, 0.2, 0.1] }])).toEqual({ shape: [3], values: [0, 1, 0] });
  });

  it.each([
    { name: 'shapes that differ', tensors: [{ shape: [1, 3], values: [1, 2, 3] }, { shape: [1, 2], values: [1, 2] }], message: 'child "b" (index 1) has shape [1, 2] but child "a" (index 0) has [1, 3]; every child must score the same classes for the same rows' },
    { name: 'a scalar', tensors: [{ shape: [], values: [1] }], message: 'child "a" (index 0) has shape []; each child must return class scores with the classes on the last axis' },
    { name: 'no classes', tensors: [{ shape: [2, 0], values: [] }], message: 'child "a" (index 0) has shape [2, 0]; each child' },
  ])('refuses $name, naming the child', ({ tensors, message }) => {
    expect(() => majorityVote(tensors, ['a', 'b'])).toThrow(CombinerInputError);
    expect(() => majorityVote(tensors, ['a', 'b'])).toThrow(`majority-vote: ${message}`);
  });
});
