/** KServe Switch conditions (GJSON) as switch router cases: what translates, and what says it does not. */
import { describe, expect, it } from 'vitest';
import { conditionToCase } from '../../../compiler/import/gjson-condition.ts';

describe('conditionToCase', () => {
  it.each([
    ['[@this].#(decision_picker=="ABC")', { field: 'meta.tags.decision_picker', equals: 'ABC' }],
    ['[@this].#(decision_picker==ABC)', { field: 'meta.tags.decision_picker', equals: 'ABC' }],
    ['[@this].#( tier != "gold" )', { field: 'meta.tags.tier', notEquals: 'gold' }],
    ['[@this].#(score>0.5)', { field: 'meta.tags.score', greaterThan: 0.5 }],
    ['[@this].#(score<=-1)', { field: 'meta.tags.score', atMost: -1 }],
    ['[@this].#(flag==true)', { field: 'meta.tags.flag', equals: true }],
    ['[@this].#(user.country=="FR")', { field: 'meta.tags.user.country', equals: 'FR' }],
    ['[@this].#(instances.0.2<3)', { field: 'data.ndarray[0][2]', lessThan: 3 }],
    ['vip', { field: 'meta.tags.vip', exists: true }],
    ['[@this].#(instances)', { field: 'data.ndarray', exists: true }],
  ])('translates %s', (condition, expected) => {
    expect(conditionToCase(condition)).toEqual({ case: expected });
  });

  it.each([
    ['[@this].#(name%"D*")', /has no translation/],
    ['instances.#(x>1)', /has no translation/],
    ['[@this].#(a==1)||[@this].#(b==2)', /has no translation/],
    ['[@this].#(score>"high")', /> compares numbers here; "high" is not one/],
    ['[@this].#(name=="unterminated)', /has no translation|is not a JSON string/],
  ])('refuses %s, saying why', (condition, problem) => {
    const result = conditionToCase(condition);
    expect('problem' in result && result.problem).toMatch(problem);
  });
});
