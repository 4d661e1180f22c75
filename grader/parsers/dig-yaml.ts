import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { excerptOf, ToolOutputError } from './json-text';

export interface DnsRecord {
  name: string;
  ttl: number;
  class: string;
  type: string;
  /** The record's data in presentation form, e.g. `0 issue "letsencrypt.org"`. */
  data: string;
}

export type DigFacts =
  | { reached: true; status: string; flags: string[]; answers: DnsRecord[] }
  | { reached: false; error: string };

export class NotDigYamlError extends ToolOutputError {
  override name = 'NotDigYamlError';
}

const MessageSchema = z.object({
  type: z.literal('MESSAGE'),
  message: z.object({
    response_message_data: z.object({
      status: z.string(),
      flags: z.string(),
      ANSWER_SECTION: z.array(z.string()).optional(),
    }),
  }),
});
const ErrorSchema = z.object({ type: z.literal('DIG_ERROR'), message: z.string() });

/**
 * The answer of `dig +yaml` (BIND 9.18): its status, header flags and answer records. dig exits 0
 * for NXDOMAIN, so the status is what a check decides on; no reply at all is `reached: false`.
 */
export function parseDigYaml(text: string): DigFacts {
  // dig prints its own `;` comment lines before a DIG_ERROR; they are not YAML.
  const yamlText = text
    .split('\n')
    .filter((line) => !line.startsWith(';'))
    .join('\n');
  const documents = parseAllDocuments(yamlText, { customTags: ['timestamp'] });
  const items = (Array.isArray(documents) ? documents : []).flatMap((doc) => {
    const value: unknown = doc.errors.length === 0 ? doc.toJS() : undefined;
    return Array.isArray(value) ? (value as unknown[]) : [];
  });
  for (const item of items) {
    const message = MessageSchema.safeParse(item);
    if (message.success) {
      const data = message.data.message.response_message_data;
      return {
        reached: true,
        status: data.status,
        flags: data.flags.split(/\s+/).filter(Boolean),
        answers: (data.ANSWER_SECTION ?? []).map(parseRecord),
      };
    }
    const error = ErrorSchema.safeParse(item);
    if (error.success) return { reached: false, error: error.data.message.trim() };
  }
  throw new NotDigYamlError(
    `dig's output is not its +yaml answer. It begins ${excerptOf(text)}`,
    excerptOf(text),
  );
}

function parseRecord(line: string): DnsRecord {
  const match = /^(\S+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(.*)$/.exec(line.trim());
  if (!match) throw new NotDigYamlError(`dig printed an answer line it should not: ${line}`, excerptOf(line));
  return { name: match[1]!, ttl: Number(match[2]), class: match[3]!, type: match[4]!, data: match[5]! };
}

/** Record data as compared: whitespace runs collapsed, so `0  issue "x"` equals `0 issue "x"`. */
export function normalizeRecordData(data: string): string {
  return data.trim().replace(/\s+/g, ' ');
}
