/**
 * @module The GPUs of this machine, as the local engine places functions on them.
 *
 * Detected on Linux from the device files the drivers create: NVIDIA GPUs as `/dev/nvidia<N>` (the proprietary
 * driver), else as DRM cards whose PCI vendor is NVIDIA; Intel and AMD GPUs as DRM cards (`/sys/class/drm/card<N>`)
 * with vendor 0x8086 or 0x1002. Where detection cannot see a device (a container without /sys, say), the user
 * declares the inventory with `switchyard up --devices nvidia-gpu=2`, parsed by `parseDevices`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DeviceKind } from '../../plan/types.ts';

export type GpuKind = Exclude<DeviceKind, 'cpu'>;
export const GPU_KINDS: readonly GpuKind[] = ['nvidia-gpu', 'intel-gpu', 'amd-gpu'];

/** How many GPUs of each kind this machine has, and where that was learned. */
export interface DeviceInventory {
  gpus: Readonly<Record<GpuKind, number>>;
  /** `detected from /dev/nvidia*`, `declared with --devices`, … */
  source: string;
}

const PCI_VENDORS: Readonly<Record<string, GpuKind>> = { '0x10de': 'nvidia-gpu', '0x8086': 'intel-gpu', '0x1002': 'amd-gpu' };

function list(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** The GPUs under `roots` (default the real /dev and /sys; tests pass a folder laid out the same way). */
export function detectDevices(roots: { dev: string; sys: string } = { dev: '/dev', sys: '/sys' }): DeviceInventory {
  const gpus: Record<GpuKind, number> = { 'nvidia-gpu': 0, 'intel-gpu': 0, 'amd-gpu': 0 };
  const drm = path.join(roots.sys, 'class/drm');
  for (const card of list(drm).filter((name) => /^card\d+$/.test(name))) {
    let vendor: string;
    try {
      vendor = fs.readFileSync(path.join(drm, card, 'device/vendor'), 'utf8').trim().toLowerCase();
    } catch {
      continue;
    }
    const kind = PCI_VENDORS[vendor];
    if (kind !== undefined) gpus[kind]++;
  }
  const nvidiaFiles = list(roots.dev).filter((name) => /^nvidia\d+$/.test(name)).length;
  if (nvidiaFiles > 0) gpus['nvidia-gpu'] = nvidiaFiles;
  const found = GPU_KINDS.filter((kind) => gpus[kind] > 0);
  return { gpus, source: found.length === 0 ? `none found in ${roots.dev} and ${drm}` : `detected from ${roots.dev}/nvidia* and ${drm}` };
}

/** `nvidia-gpu=2,intel-gpu=1`, or `none`: the inventory the user declares. Throws an Error that says what to write. */
export function parseDevices(text: string, flag = '--devices'): DeviceInventory {
  const gpus: Record<GpuKind, number> = { 'nvidia-gpu': 0, 'intel-gpu': 0, 'amd-gpu': 0 };
  const trimmed = text.trim();
  if (trimmed !== 'none') {
    for (const part of trimmed.split(',')) {
      const match = /^\s*([a-z-]+)\s*=\s*(\d+)\s*$/.exec(part);
      const kind = match?.[1] as GpuKind | undefined;
      if (match === null || kind === undefined || !GPU_KINDS.includes(kind)) {
        throw new Error(`${flag} takes a list such as nvidia-gpu=2,intel-gpu=1 (kinds: ${GPU_KINDS.join(', ')}), or none; received "${text}"`);
      }
      gpus[kind] = Number(match[2]);
    }
  }
  return { gpus, source: `declared with ${flag}` };
}

/** `nvidia-gpu ×2, intel-gpu ×1`, or `no GPU`. */
export function describeInventory(inventory: DeviceInventory): string {
  const found = GPU_KINDS.filter((kind) => inventory.gpus[kind] > 0).map((kind) => `${kind} ×${inventory.gpus[kind]}`);
  return found.length === 0 ? 'no GPU' : found.join(', ');
}
