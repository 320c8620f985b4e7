/** A place in a Links list, kept by whoever added the value so that it can leave in O(1). */
export interface Link<T> {
  readonly value: T;
  prev: Link<T> | undefined;
  next: Link<T> | undefined;
  linked: boolean;
}

/**
 * An ordered collection that values join and leave on every send (sends in flight, their deadlines,
 * hops waiting for a connection), each leaving through the link it was given.
 * Speed: docs/performance.md#sender
 */
export class Links<T> {
  private head: Link<T> | undefined;
  private tail: Link<T> | undefined;

  /** Adds `value` last; the returned link makes it leave again. */
  push(value: T): Link<T> {
    const link: Link<T> = { value, prev: this.tail, next: undefined, linked: true };
    if (this.tail) this.tail.next = link;
    else this.head = link;
    this.tail = link;
    return link;
  }

  /** Takes the value out; a link that already left is ignored. */
  remove(link: Link<T>): void {
    if (!link.linked) return;
    link.linked = false;
    if (link.prev) link.prev.next = link.next;
    else this.head = link.next;
    if (link.next) link.next.prev = link.prev;
    else this.tail = link.prev;
    link.prev = undefined;
    link.next = undefined;
  }

  first(): T | undefined {
    return this.head?.value;
  }

  clear(): void {
    for (let link = this.head; link;) {
      const next = link.next;
      link.linked = false;
      link.prev = undefined;
      link.next = undefined;
      link = next;
    }
    this.head = undefined;
    this.tail = undefined;
  }

  /**
   * Oldest first. The link being visited may leave during the visit (the next one is read before);
   * no other may, so a walk that acts on what it finds collects first and acts after.
   */
  *links(): Generator<Link<T>> {
    for (let link = this.head; link;) {
      const next = link.next;
      yield link;
      link = next;
    }
  }

  /** The values, oldest first, as a new array. */
  values(): T[] {
    const out: T[] = [];
    for (let link = this.head; link; link = link.next) out.push(link.value);
    return out;
  }
}
