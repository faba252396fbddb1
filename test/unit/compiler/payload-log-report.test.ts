import { describe, expect, it } from 'vitest';
import { payloadLogReport } from '../../../compiler/cli/payload-log-report.ts';
import { seedPlan } from '../render/seed-plan.ts';

describe('payloadLogReport (switchyard up)', () => {
  it('names each logger, its mode and its URL; nothing when there is none', () => {
    const plan = seedPlan();
    expect(payloadLogReport(plan)).toEqual([]);
    plan.logger = { url: 'http://sink/graph', mode: 'all' };
    plan.nodes.bandit!.logger = { url: 'http://sink/bandit', mode: 'response' };
    expect(payloadLogReport(plan)).toEqual(['graph (all) → http://sink/graph', 'bandit (response) → http://sink/bandit']);
  });
});
