/** @module What /proc says about processes: resident memory (VmRSS), CPU time, children, the load average. */
import { readFileSync, readdirSync } from 'node:fs';

/** Resident set size in MiB, or undefined when the process is gone (or this is not Linux). */
export function rssMiB(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : undefined;
  } catch {
    return undefined;
  }
}

export interface ChildProcessInfo {
  pid: number;
  /** The command line, arguments joined by spaces. */
  command: string;
}

/** The direct children of `parent` (from /proc/<pid>/stat's ppid field). */
export function childrenOf(parent: number): ChildProcessInfo[] {
  const out: ChildProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces: fields after the last ')' are positional.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== parent) continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      out.push({ pid: Number(entry), command });
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

/** CPU time (user + system) a process has used, in ms; undefined when it is gone. Linux clock ticks are 10 ms. */
export function cpuTimeMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

export interface LabelledProcess {
  label: string;
  pid: number;
}

/** A local engine's processes: the engine itself (`gateway`) and each function replica, by function name. */
export function engineProcesses(enginePid: number): LabelledProcess[] {
  const out: LabelledProcess[] = [{ label: 'gateway', pid: enginePid }];
  for (const child of childrenOf(enginePid)) {
    const match = /functions\/([^/]+)\/index\.mjs/.exec(child.command);
    if (match) out.push({ label: match[1]!, pid: child.pid });
  }
  return out;
}

/** Load average over the last minute: how busy the machine was besides the benchmark. */
export function loadAverage(): number {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return Number.NaN;
  }
}
