/**
 * @module What `switchyard up --watch` watches: exactly the files a build read — the graph file, its models, and
 * every source file esbuild put into a function (a component and what it imports; Switchyard's own run-time code
 * when it is a checkout, not a package). Each of their directories is watched (not recursively), and only those
 * files count. Changes are gathered for `debounceMs` (an editor's save is often several events) and reported once,
 * as paths relative to the current directory.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, type BundledFunction } from '../bundle/index.ts';
import type { PlanSources } from '../plan/index.ts';

export interface GraphWatch {
  /** Watch these files too (after a rebuild that read new ones). */
  add(files: readonly string[]): void;
  close(): void;
}

/** The absolute paths of the files a build read: the graph file, the models, the bundles' own source files. */
export function filesOfBuild(graphFile: string, build: { sources: PlanSources; functions: readonly BundledFunction[] }): string[] {
  const files = new Set([path.resolve(graphFile), ...Object.values(build.sources.models), ...Object.values(build.sources.components)]);
  for (const fn of build.functions) {
    for (const input of fn.inputs) {
      // esbuild names virtual modules `namespace:…`; packages are not the user's to change.
      if (/^[a-z-]+:/.test(input) || input.split(/[\\/]/).includes('node_modules')) continue;
      const file = path.resolve(PROJECT_ROOT, input);
      if (existsSync(file)) files.add(file);
    }
  }
  return [...files].sort();
}

export function watchGraph(options: { files: readonly string[]; onChange(changed: string[]): void; debounceMs?: number }): GraphWatch {
  const watched = new Set<string>();
  const watchers = new Map<string, FSWatcher>();
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  const changed = (file: string) => {
    if (!watched.has(file)) return;
    pending.add(path.relative(process.cwd(), file) || file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...pending].sort();
      pending.clear();
      options.onChange(files);
    }, options.debounceMs ?? 250);
  };
  const add = (files: readonly string[]) => {
    for (const file of files) {
      watched.add(file);
      const dir = path.dirname(file);
      if (watchers.has(dir)) continue;
      try {
        // An editor that saves by writing a new file and renaming it over the old one still shows up here, by name.
        const watcher = watch(dir, (_event, name) => name !== null && changed(path.join(dir, String(name))));
        watcher.on('error', () => watchers.delete(dir));
        watchers.set(dir, watcher);
      } catch {
        // A directory that cannot be watched (gone, no permission): its changes go unnoticed until the next rebuild.
      }
    }
  };

  add(options.files);
  return {
    add,
    close() {
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
