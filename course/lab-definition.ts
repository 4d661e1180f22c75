import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CheckSchema, checkKinds } from '@/grader/schema';
import { ContentError } from './errors';
import { filesInSubfolders, memoizeByFiles } from './file-memo';
import { parseYamlWithSchema } from './yaml-source';

const Id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes, e.g. bottle-01-run');

export const LabStepSchema = z
  .object({
    id: Id,
    title: z.string().min(1),
    hint: z.string().optional(),
    /** Steps that must pass before this one is graded. */
    requires: z.array(Id).default([]),
    checks: z.array(CheckSchema).default([]),
    /** A shell script, relative to the lab folder, that a learner's "skip" and `keiko test-labs` run. */
    solution: z.string().optional(),
  })
  .strict();
export type LabStep = z.infer<typeof LabStepSchema>;

const DnsName = z
  .string()
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    'a DNS name, e.g. example.test',
  );

/**
 * A CA made for each session (platform/lab-ca.ts): the learner gets a certificate for `names` signed
 * by it, in `certDir`; the CA's key never enters the lab, and only the grader trusts the CA.
 */
export const LabCaSchema = z
  .object({
    /** The certificate's subjectAltName DNS names; the first is also its CN. */
    names: z.array(DnsName).min(1).max(10),
    /** Where the lab gets cert.pem, key.pem and ca.pem (made, owned by the learner). */
    certDir: z.string().startsWith('/', 'an absolute path inside the sandbox'),
  })
  .strict();
export type LabCa = z.infer<typeof LabCaSchema>;

/**
 * A port the lab's lessons serve on, listed in the lab panel with an Open action (docs/preview.md).
 * `tls`: the learner serves TLS there, so the browser's connection is passed through, not read;
 * `servername`: the name the browser must ask for (SNI), the one on the learner's certificate.
 */
export const LabPortSchema = z
  .object({
    port: z.number().int().min(1).max(65_535),
    label: z.string().min(1).max(80),
    tls: z.boolean().default(false),
    servername: DnsName.optional(),
  })
  .strict();
export type LabPort = z.infer<typeof LabPortSchema>;

export const LabDefinitionSchema = z
  .object({
    id: Id,
    title: z.string().min(1),
    /** A folder name under labs/images/. */
    image: Id,
    workdir: z.string().startsWith('/', 'an absolute path inside the sandbox').optional(),
    limits: z.record(z.string(), z.number()).optional(),
    labCa: LabCaSchema.optional(),
    ports: z
      .array(LabPortSchema)
      .max(20)
      .default([])
      .refine((ports) => new Set(ports.map((p) => p.port)).size === ports.length, 'each port once'),
    steps: z.array(LabStepSchema).default([]),
  })
  .strict();
export type LabDefinition = z.infer<typeof LabDefinitionSchema> & { dir: string; file: string };

/** Parses one lab.yaml; every problem names the file, line and field. */
export function parseLabDefinition(file: string, text: string): LabDefinition {
  return { ...parseYamlWithSchema(file, text, LabDefinitionSchema), dir: path.dirname(file), file };
}

/** Every `labs/<id>/lab.yaml` with the problems of those that are wrong (left out of `labs`). */
export function readLabs(labsDir: string): { labs: LabDefinition[]; problems: ContentError[] } {
  // The kinds a lab may use are part of the key: a kind registered later changes what parses.
  const kinds = checkKinds()
    .map((kind) => kind.key)
    .join(',');
  return memoizeByFiles(`labs:${labsDir}:${kinds}`, filesInSubfolders(labsDir, 'lab.yaml'), () =>
    readLabsNow(labsDir),
  );
}

function readLabsNow(labsDir: string): { labs: LabDefinition[]; problems: ContentError[] } {
  const labs: LabDefinition[] = [];
  const problems: ContentError[] = [];
  if (!fs.existsSync(labsDir)) return { labs, problems };
  const folders = fs
    .readdirSync(labsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(labsDir, entry.name, 'lab.yaml')))
    .map((entry) => entry.name)
    .sort();
  for (const folder of folders) {
    const file = path.join(labsDir, folder, 'lab.yaml');
    try {
      const lab = parseLabDefinition(file, fs.readFileSync(file, 'utf8'));
      if (lab.id !== folder)
        throw new ContentError(file, 1, 1, `id: "${lab.id}" must match its folder name "${folder}"`);
      labs.push(lab);
    } catch (error) {
      if (!(error instanceof ContentError)) throw error;
      problems.push(error);
    }
  }
  return { labs, problems };
}

/** Every lab, checked; the folder name must be the lab's id. Throws the first problem. */
export function loadLabs(labsDir: string): LabDefinition[] {
  const { labs, problems } = readLabs(labsDir);
  if (problems[0]) throw problems[0];
  return labs;
}
