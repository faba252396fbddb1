/**
 * @module Draws a trace as a text waterfall for `switchyard trace show`: one row per span, nested, with its
 * duration and a bar on the trace's time line; router decisions, cold starts and errors on the lines under
 * their span. Every line fits `width` columns (80 by default). Pure: a `TraceView` in, lines out.
 */
import type { AttributeValue, TraceSummary, TraceView, ViewSpan } from '../../../runtime/engine/local/traces/types.ts';
import {
  ATTR_COLD_START,
  ATTR_QUEUE_MS,
  ATTR_REPLICA,
  ATTR_ROUTER_ARMS,
  ATTR_ROUTER_CHOSEN,
  ATTR_ROUTER_ESTIMATES,
  ATTR_ROUTER_EXPLORE,
  ATTR_ROUTER_REASON,
} from '../../../runtime/tracing/attributes.ts';

const DURATION_WIDTH = 9;
const INDENT = 2;

export function renderWaterfall(view: TraceView, { width = 80, timeZone }: { width?: number; timeZone?: string } = {}): string[] {
  const barWidth = Math.max(10, Math.floor((width - DURATION_WIDTH - 3) * 0.35));
  const nameWidth = width - DURATION_WIDTH - barWidth - 3;
  const { summary } = view;
  const total = Math.max(summary.durationMs, 1e-6);
  const lines: string[] = [];
  lines.push(`trace ${summary.traceId}`);
  lines.push(fit(headline(summary, timeZone), width));
  if (summary.route) lines.push(fit(`route: ${arrows(summary.route)}`, width));
  lines.push('');
  const axisEnd = formatMs(summary.durationMs);
  lines.push(`${pad('span', nameWidth)} ${'duration'.padStart(DURATION_WIDTH)}  ${('0' + ' '.repeat(Math.max(1, barWidth - 1 - axisEnd.length)) + axisEnd).slice(0, barWidth)}`);

  const services: string[] = [];
  for (const span of view.spans) {
    services[span.depth] = span.service;
    const parentService = span.depth > 0 ? services[span.depth - 1] : undefined;
    const label = span.service === parentService ? span.name : `${span.name} [${span.service}]`;
    const indent = ' '.repeat(Math.min(span.depth * INDENT, Math.floor(nameWidth / 2)));
    const marker = span.status === 'error' ? '✖ ' : '';
    const name = fit(indent + marker + label, nameWidth);
    lines.push(`${pad(name, nameWidth)} ${formatMs(span.endMs - span.startMs).padStart(DURATION_WIDTH)}  ${bar(span, summary.startMs, total, barWidth)}`.trimEnd());
    const detailIndent = ' '.repeat(Math.min(span.depth * INDENT + INDENT, 24));
    for (const detail of details(span)) lines.push(...wrap(detail, width, detailIndent));
  }
  return lines;
}

function headline(summary: TraceSummary, timeZone: string | undefined): string {
  const when = new Date(summary.startMs).toLocaleTimeString('en-GB', { hour12: false, ...(timeZone ? { timeZone } : {}) });
  // The request's own time first; work that ran on after the answer (a shadow) makes the trace longer.
  const requestMs = summary.requestMs ?? summary.durationMs;
  const took = summary.durationMs - requestMs > 0.5 ? `${formatMs(requestMs)} (trace ${formatMs(summary.durationMs)})` : formatMs(summary.durationMs);
  const parts = [when, took, summary.httpStatus === undefined ? summary.status : `${summary.httpStatus} ${summary.status}`, `${summary.spanCount} spans`];
  if (summary.errorCount > 0) parts.push(`${summary.errorCount} failed`);
  if (summary.puid) parts.push(`puid ${summary.puid}`);
  return parts.join('  ');
}

/** The lines under a span: a router's decision, a cold start, an error. */
function details(span: ViewSpan): string[] {
  const out: string[] = [];
  const attrs = span.attributes;
  const chosen = attrs[ATTR_ROUTER_CHOSEN];
  if (typeof chosen === 'string') {
    const arms = asArray(attrs[ATTR_ROUTER_ARMS]);
    const estimates = asArray(attrs[ATTR_ROUTER_ESTIMATES]);
    const explore = attrs[ATTR_ROUTER_EXPLORE];
    let line = `↳ chose ${chosen}`;
    if (typeof explore === 'boolean') line += explore ? ' (explore)' : ' (exploit)';
    if (estimates.length > 0) line += `; estimates ${estimates.map((e, i) => `${arms[i] ?? i} ${typeof e === 'number' ? e.toFixed(3) : String(e)}`).join(', ')}`;
    out.push(line);
    const reason = attrs[ATTR_ROUTER_REASON];
    if (typeof reason === 'string' && reason !== '') out.push(reason);
  }
  if (attrs[ATTR_COLD_START] === true) {
    const queued = attrs[ATTR_QUEUE_MS];
    out.push(`↳ cold start: waited ${typeof queued === 'number' ? formatMs(queued) : '?'} for replica ${String(attrs[ATTR_REPLICA] ?? '?')}`);
  }
  if (span.status === 'error') {
    const exception = span.events.find((e) => e.name === 'exception');
    const message = exception?.attributes['exception.message'];
    out.push(`✖ ${typeof message === 'string' && message !== '' ? message : span.statusMessage ?? 'failed'}`);
  }
  return out;
}

function bar(span: ViewSpan, start: number, total: number, width: number): string {
  const from = Math.max(0, Math.min(width - 1, Math.floor(((span.startMs - start) / total) * width)));
  const to = Math.max(from, Math.min(width, Math.round(((span.endMs - start) / total) * width)));
  if (to === from) return ' '.repeat(from) + '▏';
  return ' '.repeat(from) + '█'.repeat(to - from);
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

export function arrows(route: string): string {
  return route.split(' > ').join(' → ');
}

function asArray(value: AttributeValue | undefined): AttributeValue[] {
  return Array.isArray(value) ? value : [];
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** Cuts `text` to `width` columns, ending with … when cut. */
export function fit(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : chars.slice(0, width - 1).join('') + '…';
}

/** Word-wraps `text` to `width` columns, every line starting with `indent`. */
function wrap(text: string, width: number, indent: string): string[] {
  const room = Math.max(20, width - indent.length);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (word === '') continue;
    if (line === '') line = word;
    else if ([...line].length + 1 + [...word].length <= room) line += ' ' + word;
    else {
      lines.push(line);
      line = word;
    }
    while ([...line].length > room) {
      const chars = [...line];
      lines.push(chars.slice(0, room).join(''));
      line = chars.slice(room).join('');
    }
  }
  if (line !== '') lines.push(line);
  return lines.map((l) => indent + l);
}
