/** The router runner's generator: a router whose parameters carry a `seed` draws from its own, reproducibly. */
import { describe, expect, it } from 'vitest';
import { createRouterRunner } from '../../../runtime/orchestrator/router-runner.ts';
import { createMemoryStore } from '../../../runtime/state/memory-store.ts';
import { seededRng } from '../../../runtime/time/rng.ts';
import { ManualClock } from '../../helpers/manual-clock.ts';
import { seedPlan } from '../render/seed-plan.ts';

/** 40 decisions of the seed plan's bandit (epsilon 0.5, so half of them draw an arm at random). */
async function decisions(parameters: Record<string, unknown>, sharedSeed: number): Promise<number[]> {
  const plan = seedPlan();
  const bandit = plan.nodes['bandit']!;
  bandit.implementation = { kind: 'router', router: 'epsilon-greedy', parameters: { epsilon: 0.5, ...parameters } };
  const runner = createRouterRunner({ plan, store: createMemoryStore(), rng: seededRng(sharedSeed), clock: new ManualClock() });
  const arms: number[] = [];
  for (let i = 0; i < 40; i++) arms.push((await runner.decide(bandit)).arm);
  return arms;
}

describe('router runner: seeded routers', () => {
  it('gives a router with a seed the same choices whatever the shared generator', async () => {
    const a = await decisions({ seed: 5 }, 1);
    expect(await decisions({ seed: 5 }, 2)).toEqual(a);
    expect(new Set(a)).toEqual(new Set([0, 1]));
    expect(await decisions({ seed: 6 }, 1)).not.toEqual(a);
  });

  it('draws from the shared generator without one', async () => {
    expect(await decisions({}, 1)).toEqual(await decisions({}, 1));
    expect(await decisions({}, 1)).not.toEqual(await decisions({}, 2));
  });
});
