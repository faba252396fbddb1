/**
 * @module Deploy progress as terminal lines: one per object applied or pruned (with the fields that changed),
 * one per Service state change (elapsed time, state, Knative's reason and message). Never a value: Secrets show
 * only which keys changed.
 */
import type { DeployEvent } from './deploy-graph.ts';
import { formatDuration } from './wait-ready.ts';

const MAX_CHANGES = 4;
/** Service names are padded to this, so that states line up (Knative Service names are at most 63). */
const NAME_WIDTH = 24;

function verb(outcome: 'created' | 'configured' | 'unchanged', dryRun: boolean): string {
  if (outcome === 'unchanged') return 'unchanged';
  if (!dryRun) return outcome;
  return outcome === 'created' ? 'would create' : 'would configure';
}

function changes(list: string[]): string {
  if (list.length === 0) return '';
  const shown = list.slice(0, MAX_CHANGES).join(', ');
  return `  (${shown}${list.length > MAX_CHANGES ? `, +${list.length - MAX_CHANGES} more` : ''})`;
}

/** The line for one event (a phase heading has no indent; everything else is indented two spaces). */
export function formatDeployEvent(event: DeployEvent): string {
  switch (event.type) {
    case 'phase':
      return event.phase;
    case 'applied': {
      const name = `${event.ref.kind} ${event.ref.name}`;
      const secret = event.ref.kind === 'Secret' ? '  (value not shown)' : '';
      const note = event.note === undefined ? '' : `  ${event.note}`;
      return `  ${verb(event.outcome, event.dryRun).padEnd(15)} ${name}${changes(event.changes)}${secret}${note}`;
    }
    case 'secret-kept':
      return `  ${'kept'.padEnd(15)} Secret ${event.ref.name}  (made outside switchyard: left as it is)`;
    case 'service': {
      const detail = event.state === 'ready' ? (event.revision ?? '') : [event.reason, event.message].filter(Boolean).join(': ');
      return `  ${formatDuration(event.elapsedMs).padStart(6)}  ${event.name.padEnd(NAME_WIDTH)}  ${event.state.padEnd(7)}  ${detail}`.trimEnd();
    }
    case 'pruned':
      return `  ${(event.dryRun ? 'would delete' : 'deleted').padEnd(15)} ${event.ref.kind} ${event.ref.name}  (no longer in the graph)`;
  }
}
