import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import apache from 'highlight.js/lib/languages/apache';
import dns from 'highlight.js/lib/languages/dns';
import { common } from 'lowlight';
import { bundleMDX } from 'mdx-bundler';
import rehypeHighlight from 'rehype-highlight';
import { ContentError } from './errors';

/** A JSX element a lesson uses, where, and its attributes (`true` for a bare one, null for an expression). */
export interface ComponentUse {
  name: string;
  line: number;
  column: number;
  attributes: Record<string, string | true | null>;
  /** The element's text, for `<Run>` whose command is its content. */
  text: string;
}

export interface LinkUse {
  url: string;
  line: number;
  column: number;
}

export interface CompiledLesson {
  /** The function body `getMDXComponent` from mdx-bundler/client turns into a component. */
  code: string;
  components: ComponentUse[];
  links: LinkUse[];
}

interface MdastNode {
  type: string;
  name?: string | null;
  url?: string;
  value?: unknown;
  attributes?: { type: string; name?: string; value?: unknown }[];
  children?: MdastNode[];
  position?: { start: { line: number; column: number } };
}

function textOf(node: MdastNode): string {
  if (typeof node.value === 'string') return node.value;
  return (node.children ?? []).map(textOf).join('');
}

/** A remark plugin that records every JSX element and link with its position, for the linter. */
function recordUsage(components: ComponentUse[], links: LinkUse[]) {
  return () => (tree: MdastNode) => {
    const walk = (node: MdastNode) => {
      const start = node.position?.start ?? { line: 1, column: 1 };
      if ((node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') && node.name) {
        const attributes: ComponentUse['attributes'] = {};
        for (const attribute of node.attributes ?? []) {
          if (attribute.type !== 'mdxJsxAttribute' || !attribute.name) continue;
          const value = attribute.value;
          attributes[attribute.name] =
            value === null || value === undefined ? true : typeof value === 'string' ? value : null;
        }
        components.push({
          name: node.name,
          line: start.line,
          column: start.column,
          attributes,
          text: textOf(node),
        });
      }
      if (node.type === 'link' && node.url !== undefined)
        links.push({ url: node.url, line: start.line, column: start.column });
      for (const child of node.children ?? []) walk(child);
    };
    walk(tree);
  };
}

interface EsbuildMessage {
  text: string;
  location?: { file: string; line: number; column: number } | null;
  detail?: { cause?: { reason?: string; line?: number; column?: number } };
}

/**
 * esbuild and MDX report a problem with its place: keep it, so an instructor's editor can jump
 * there. MDX's own parse errors arrive wrapped by the esbuild plugin, with the place in the cause.
 */
function toContentError(file: string, error: unknown): ContentError {
  const first = (error as { errors?: EsbuildMessage[] }).errors?.[0];
  if (!first)
    return new ContentError(file, 1, 1, `MDX: ${error instanceof Error ? error.message : String(error)}`);
  const cause = first.detail?.cause;
  if (cause?.reason) {
    const place = /\((\d+):(\d+)(?:-\d+:\d+)?\)$/.exec(cause.reason);
    const line = cause.line ?? Number(place?.[1] ?? 1);
    const column = cause.column ?? Number(place?.[2] ?? 1);
    return new ContentError(
      file,
      line,
      column,
      `MDX: ${cause.reason.replace(/\s*\(\d+:\d+(?:-\d+:\d+)?\)$/, '')}`,
    );
  }
  const where = first.location;
  return new ContentError(
    file,
    Math.max(1, where?.line ?? 1),
    (where?.column ?? 0) + 1,
    `MDX: ${first.text.split('\n')[0]}`,
  );
}

const cache = new Map<string, { stamp: string; compiled: CompiledLesson }>();
/** Part of every cache key: a change to how lessons compile must not reuse old output. */
const COMPILER_VERSION = 'keiko-mdx-1';

/**
 * Compiles a lesson's MDX (from content/ only: MDX is code) with highlighted code blocks. Kept in
 * memory by modification time, so a development server recompiles exactly the lessons that changed,
 * and, with `cacheDir`, on disk by content hash: `keiko lessons build` compiles every lesson at build
 * time and a production server only reads the results.
 */
export async function compileLesson(
  file: string,
  options: { cacheDir?: string } = {},
): Promise<CompiledLesson> {
  const stat = fs.statSync(file);
  const stamp = `${stat.mtimeMs}:${stat.size}`;
  const cached = cache.get(file);
  if (cached?.stamp === stamp) return cached.compiled;
  const text = fs.readFileSync(file, 'utf8');
  const cacheFile = options.cacheDir
    ? path.join(
        options.cacheDir,
        `${createHash('sha256').update(`${COMPILER_VERSION}\0${file}\0${text}`).digest('hex')}.json`,
      )
    : undefined;
  if (cacheFile && fs.existsSync(cacheFile)) {
    const compiled = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as CompiledLesson;
    cache.set(file, { stamp, compiled });
    return compiled;
  }
  const components: ComponentUse[] = [];
  const links: LinkUse[] = [];
  let code: string;
  try {
    ({ code } = await bundleMDX({
      file: path.resolve(file),
      cwd: path.dirname(path.resolve(file)),
      mdxOptions(options) {
        options.remarkPlugins = [...(options.remarkPlugins ?? []), recordUsage(components, links)];
        options.rehypePlugins = [
          ...(options.rehypePlugins ?? []),
          [
            rehypeHighlight,
            {
              languages: { ...common, apache, dns },
              aliases: { bash: ['sh', 'console'] },
              plainText: ['text', 'txt'],
            },
          ],
        ];
        return options;
      },
      esbuildOptions(options) {
        options.logLevel = 'silent';
        return options;
      },
    }));
  } catch (error) {
    throw toContentError(file, error);
  }
  const compiled = { code, components, links };
  cache.set(file, { stamp, compiled });
  if (cacheFile) {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(compiled));
    fs.renameSync(temporary, cacheFile);
  }
  return compiled;
}
