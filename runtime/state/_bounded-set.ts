/** A set that forgets its oldest members past a size bound (insertion order), for `once` histories. */
export class BoundedSet {
  readonly #limit: number;
  readonly #items = new Set<string>();

  constructor(limit: number, initial: Iterable<string> = []) {
    this.#limit = limit;
    for (const id of initial) this.add(id);
  }

  /** Adds `id`; false when it was already there. */
  add(id: string): boolean {
    if (this.#items.has(id)) return false;
    this.#items.add(id);
    while (this.#items.size > this.#limit) {
      const oldest = this.#items.values().next().value as string;
      this.#items.delete(oldest);
    }
    return true;
  }

  has(id: string): boolean {
    return this.#items.has(id);
  }

  toArray(): string[] {
    return [...this.#items];
  }
}
