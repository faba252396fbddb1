/**
 * @module What a process's memory costs, from /proc (Linux): resident (RSS), proportional (PSS) and private (USS).
 *
 * - RSS (`VmRSS` of /proc/<pid>/status): every page the process has in memory, shared ones counted whole.
 * - PSS (`Pss` of /proc/<pid>/smaps_rollup): each page divided by the number of processes mapping it. The node
 *   binary's code, onnxruntime's library and other file pages are shared by every process that maps them (the
 *   engine, the other replicas, any other Node process on the machine), so PSS depends on what else runs.
 * - USS (`Private_Clean + Private_Dirty`): pages only this process maps: what one more replica costs, at least.
 */
import { readFileSync } from 'node:fs';

export interface MemoryUsage {
  rssMiB: number;
  pssMiB: number;
  ussMiB: number;
  /** Of RSS: anonymous pages (heap, stacks) and file pages (code, mapped libraries). */
  anonMiB: number;
  fileMiB: number;
}

/** The process's memory in MiB (one decimal), or undefined when it is gone or this is not Linux. */
export function memoryUsage(pid: number): MemoryUsage | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return parseMemoryUsage(status, rollup);
  } catch {
    return undefined;
  }
}

/** Reads the fields of /proc/<pid>/status and /proc/<pid>/smaps_rollup (values in kB). */
export function parseMemoryUsage(status: string, rollup: string): MemoryUsage {
  const kb = (text: string, field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    if (match === null) throw new Error(`/proc has no ${field} field`);
    return Number(match[1]);
  };
  const mib = (value: number) => Math.round((value / 1024) * 10) / 10;
  return {
    rssMiB: mib(kb(status, 'VmRSS')),
    pssMiB: mib(kb(rollup, 'Pss')),
    ussMiB: mib(kb(rollup, 'Private_Clean') + kb(rollup, 'Private_Dirty')),
    anonMiB: mib(kb(status, 'RssAnon')),
    fileMiB: mib(kb(status, 'RssFile')),
  };
}
