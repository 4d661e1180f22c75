import { z } from 'zod';

/**
 * The check kinds a lab step can use. Each decides from structured facts (curl's `-w '%{json}'`, a
 * Node TLS probe, the engine's process list, exit codes), never from human-oriented `-v` output.
 */
const Timing = {
  /** Try again this many times, for a server that is still starting. */
  retries: z.number().int().min(0).max(30).default(0),
  delayMs: z.number().int().min(0).max(30_000).default(1000),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
};

export const HttpCheckSchema = z
  .object({
    url: z.url(),
    method: z.enum(['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH']).default('GET'),
    /** Which HTTP the client asks for: `2` negotiates h2 by ALPN over TLS, `2-prior` assumes h2 over cleartext. */
    http: z.enum(['1.1', '2', '2-prior']).optional(),
    /** `host:port:address`, as curl's --resolve, for SNI names that only the lab knows. */
    resolve: z
      .string()
      .regex(/^[^:\s]+:\d+:[^\s]+$/)
      .optional(),
    insecure: z.boolean().default(false),
    headers: z.record(z.string(), z.string()).default({}),
    body: z.string().optional(),
    expect: z
      .object({
        status: z.number().int().optional(),
        /** Any status in the class, e.g. 3 for any 3xx (Bottle sends 302 or 303 by protocol version). */
        statusClass: z.number().int().min(1).max(5).optional(),
        /** As curl reports it: `1` is HTTP/1.0. */
        httpVersion: z.enum(['1', '1.1', '2']).optional(),
        bodyContains: z.string().optional(),
        bodyMatches: z.string().optional(),
        /** The path (and query) of the Location header, whatever host it names. */
        locationPath: z.string().optional(),
        contentType: z.string().optional(),
      })
      .strict(),
  })
  .strict();

export const TlsCheckSchema = z
  .object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(1).max(65_535),
    servername: z.string().optional(),
    alpn: z.array(z.string()).optional(),
    expect: z
      .object({
        minVersion: z.enum(['TLSv1.2', 'TLSv1.3']).optional(),
        alpn: z.string().nullable().optional(),
        subjectCN: z.string().optional(),
        san: z.string().optional(),
        /** The server must refuse a client that offers only this old protocol. */
        refuses: z.enum(['TLSv1', 'TLSv1.1']).optional(),
      })
      .strict(),
  })
  .strict();

export const TLS_GRADES = ['A+', 'A', 'A-', 'B', 'C', 'D', 'E', 'F', 'T'] as const;

export const TlsGradeCheckSchema = z
  .object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(1).max(65_535),
    servername: z.string().optional(),
    /** A CA certificate in the lab (PEM) that the grader trusts: the lab's own CA, so A+ is reachable. */
    caFile: z.string().startsWith('/').optional(),
    expect: z.object({ minGrade: z.enum(TLS_GRADES) }).strict(),
  })
  .strict();

export const CommandCheckSchema = z
  .object({
    /** A shell script; exit code 0 passes. */
    run: z.string().min(1),
    /** `probe` (the default) cannot be influenced by the learner; `lab` sees the learner's files. */
    in: z.enum(['probe', 'lab']).default('probe'),
    asRoot: z.boolean().default(false),
    /** What the learner is told when it fails. */
    failMessage: z.string().optional(),
  })
  .strict();

export const FileCheckSchema = z
  .object({
    path: z.string().startsWith('/'),
    contains: z.string().optional(),
    matches: z.string().optional(),
  })
  .strict();

export const ProcessCheckSchema = z
  .object({
    /** A regular expression the process's command line must match. */
    command: z.string().min(1),
    uid: z.number().int().optional(),
    /** A daemon has no controlling terminal. */
    noTerminal: z.boolean().optional(),
  })
  .strict();

export const PortCheckSchema = z
  .object({
    port: z.number().int().min(1).max(65_535),
    /** `all`: every address of the sandbox (0.0.0.0 or ::); `loopback`: 127.0.0.1 or ::1 only. */
    on: z.enum(['all', 'loopback']).optional(),
    uid: z.number().int().optional(),
  })
  .strict();

const named = { name: z.string().min(1).optional(), ...Timing };
export const CheckSchema = z.union([
  z.object({ ...named, http: HttpCheckSchema }).strict(),
  z.object({ ...named, tls: TlsCheckSchema }).strict(),
  z.object({ ...named, 'tls-grade': TlsGradeCheckSchema }).strict(),
  z.object({ ...named, command: CommandCheckSchema }).strict(),
  z.object({ ...named, file: FileCheckSchema }).strict(),
  z.object({ ...named, process: ProcessCheckSchema }).strict(),
  z.object({ ...named, port: PortCheckSchema }).strict(),
]);
export type Check = z.infer<typeof CheckSchema>;
export type HttpCheck = z.infer<typeof HttpCheckSchema>;
export type TlsCheck = z.infer<typeof TlsCheckSchema>;
export type TlsGradeCheck = z.infer<typeof TlsGradeCheckSchema>;
export type CommandCheck = z.infer<typeof CommandCheckSchema>;
export type FileCheck = z.infer<typeof FileCheckSchema>;
export type ProcessCheck = z.infer<typeof ProcessCheckSchema>;
export type PortCheck = z.infer<typeof PortCheckSchema>;
