import { isAlias, isMap, isPair, isScalar, isSeq, type Node as YNode, type Pair, type Scalar } from 'yaml';

/** Helpers over `yaml` nodes. None of them follows an alias. */


export type YamlPath = (string | number)[];

/** The value under `key` in a map node (aliases are not followed). */
export function yget(node: unknown, key: string): YNode | undefined {
  if (!isMap(node)) return undefined;
  for (const item of node.items) {
    if (isScalar(item.key) && String(item.key.value) === key) return (item.value ?? undefined) as YNode | undefined;
  }
  return undefined;
}

export function ygetIn(node: unknown, path: YamlPath): YNode | undefined {
  let cur: unknown = node;
  for (const key of path) {
    if (typeof key === 'number') cur = isSeq(cur) ? cur.items[key] : undefined;
    else cur = yget(cur, key);
    if (cur === undefined) return undefined;
  }
  return cur as YNode;
}

export function ystring(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

export function ykeys(node: unknown): string[] {
  if (!isMap(node)) return [];
  return node.items.map((i) => (isScalar(i.key) ? String(i.key.value) : '')).filter(Boolean);
}

export function yentries(node: unknown): { key: string; keyNode: Scalar; value: YNode | null; pair: Pair }[] {
  if (!isMap(node)) return [];
  const out: { key: string; keyNode: Scalar; value: YNode | null; pair: Pair }[] = [];
  for (const pair of node.items) {
    if (isPair(pair) && isScalar(pair.key)) out.push({ key: String(pair.key.value), keyNode: pair.key, value: (pair.value ?? null) as YNode | null, pair });
  }
  return out;
}

export function yitems(node: unknown): YNode[] {
  return isSeq(node) ? (node.items as YNode[]) : [];
}

/** Source offsets of a node's value: [start, end). */
export function yrange(node: { range?: [number, number, number] | null } | null | undefined): [number, number] | undefined {
  return node?.range ? [node.range[0], node.range[1]] : undefined;
}

/** Every scalar in the document with the path of keys and indexes that leads to it. Aliases are skipped. */
export function* yscalars(root: unknown): Generator<{ scalar: Scalar; path: YamlPath; isKey: boolean }> {
  const stack: { node: unknown; path: YamlPath }[] = [{ node: root, path: [] }];
  while (stack.length) {
    const { node, path } = stack.pop()!;
    if (!node || isAlias(node)) continue;
    if (isScalar(node)) yield { scalar: node, path, isKey: false };
    else if (isMap(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) {
        const pair = node.items[i];
        const key = isScalar(pair.key) ? String(pair.key.value) : '?';
        stack.push({ node: pair.value, path: [...path, key] });
      }
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i], path: [...path, i] });
    }
  }
}
