import { describe, expect, it } from 'vitest';
import { createShadowReport } from '../../../runtime/orchestrator/shadow-report.ts';
import type { ShadowOutcome } from '../../../runtime/orchestrator/walker.ts';
import { ManualClock } from '../../helpers/manual-clock.ts';

describe('createShadowReport', () => {
  it('counts every outcome, and warns of failures and skips once per period with how many it held back', () => {
    const clock = new ManualClock();
    const counted: string[] = [];
    const warnings: string[] = [];
    const report = createShadowReport({ clock, warnEveryMs: 1000, count: (o) => counted.push(o.outcome), warn: (m) => warnings.push(m) });
    const failed: ShadowOutcome = { of: 'current', shadow: 'candidate', outcome: 'failed', error: new Error('model crashed') };
    report({ of: 'current', shadow: 'candidate', outcome: 'ok' });
    report(failed);
    report(failed);
    clock.advance(500);
    report({ of: 'current', shadow: 'candidate', outcome: 'skipped' });
    expect(counted).toEqual(['ok', 'failed', 'failed', 'skipped']);
    expect(warnings).toEqual(['shadow "candidate" of "current" failed: model crashed. Clients\' answers are not affected.']);
    clock.advance(600);
    report({ of: 'current', shadow: 'candidate', outcome: 'skipped' });
    expect(warnings[1]).toBe(
      'shadow "candidate" of "current" was skipped: too many shadow walks were already running (the shadows are slower than the traffic) (and 2 more failed or skipped since the last line). Clients\' answers are not affected.',
    );
  });
});
