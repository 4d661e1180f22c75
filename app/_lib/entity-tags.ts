import type { ContentCondition } from '@/sandbox';

/** The files API's ETag of a content: its SHA-256 in quotes, a strong tag. */
export function etagOf(sha256: string): string {
  return `"${sha256}"`;
}

/** The tags of an If-Match / If-None-Match header: `*`, or the listed tags, or none when absent. */
export function parseEntityTags(header: string | null | undefined): '*' | { tag: string; weak: boolean }[] {
  if (!header || !header.trim()) return [];
  if (header.trim() === '*') return '*';
  return [...header.matchAll(/(W\/)?("[^"]*")/g)].map((match) => ({ tag: match[2]!, weak: !!match[1] }));
}

/**
 * A conditional header as a condition on the content's hash (RFC 9110 §13.1): If-Match compares
 * strongly (a weak tag never matches), If-None-Match weakly. Undefined when there is no condition.
 */
export function contentCondition(
  header: string | null | undefined,
  comparison: 'strong' | 'weak',
): ContentCondition | undefined {
  const tags = parseEntityTags(header);
  if (tags === '*') return '*';
  if (tags.length === 0) return header?.trim() ? [] : undefined;
  return tags
    .filter(({ weak }) => comparison === 'weak' || !weak)
    .map(({ tag }) => tag.slice(1, -1))
    .filter((hash) => /^[0-9a-f]{64}$/.test(hash));
}
