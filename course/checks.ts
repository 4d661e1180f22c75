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

const Resolve = z.string().regex(/^[^:\s]+:\d+:[^\s]+$/, "host:port:address, as curl's --resolve");

const JsonExpectationSchema = z
  .object({
    /** `$.items[0].name`: fields, `["quoted-names"]` and array indexes. */
    path: z.string().regex(/^\$/, 'a JSON path starts with $, e.g. $.items[0]'),
    equals: z.unknown().optional(),
    type: z.enum(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']).optional(),
    /** `false`: the path must not be there. */
    exists: z.boolean().default(true),
  })
  .strict();

const CookieExpectationSchema = z
  .object({
    name: z.string().min(1),
    httpOnly: z.boolean().optional(),
    secure: z.boolean().optional(),
    sameSite: z.enum(['Strict', 'Lax', 'None']).optional(),
  })
  .strict();

export const HttpExpectSchema = z
  .object({
    status: z.number().int().optional(),
    /** Any status in the class, e.g. 3 for any 3xx (Bottle sends 302 or 303 by protocol version). */
    statusClass: z.number().int().min(1).max(5).optional(),
    /** As curl reports it: `1` is HTTP/1.0. */
    httpVersion: z.enum(['1', '1.1', '2']).optional(),
    bodyContains: z.string().optional(),
    bodyMatches: z.string().optional(),
    /** Values at JSON paths of the body, which must be JSON. */
    json: z.array(JsonExpectationSchema).optional(),
    /** The path (and query) of the Location header, whatever host it names. */
    locationPath: z.string().optional(),
    /** The whole Location header, scheme and host included (to prove a proxy keeps https). */
    location: z.string().optional(),
    contentType: z.string().optional(),
    /** Response headers (names in any case) whose value must contain the given text. */
    headers: z.record(z.string(), z.string()).optional(),
    /** A cookie the response sets, with the flags it must carry. */
    setsCookie: CookieExpectationSchema.optional(),
    /** The transfer, or with `parallel` the slowest of them, finished within this many milliseconds. */
    withinMs: z.number().int().min(1).max(120_000).optional(),
  })
  .strict();

/** One request: the fields an `http` check and each request of a `sequence` share. */
const HttpRequestFields = {
  url: z.url(),
  method: z.enum(['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH']).default('GET'),
  /** Which HTTP the client asks for: `2` negotiates h2 by ALPN over TLS, `2-prior` assumes h2 over cleartext. */
  http: z.enum(['1.1', '2', '2-prior']).optional(),
  /** `host:port:address`, as curl's --resolve, for SNI names that only the lab knows. */
  resolve: Resolve.optional(),
  insecure: z.boolean().default(false),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().optional(),
  expect: HttpExpectSchema,
};

export const HttpCheckSchema = z
  .object({
    ...HttpRequestFields,
    /** Send this many identical requests at once (a threaded server answers them side by side). */
    parallel: z.number().int().min(2).max(32).optional(),
  })
  .strict()
  .refine(
    (check) =>
      check.parallel === undefined ||
      (check.expect.bodyContains ??
        check.expect.bodyMatches ??
        check.expect.json ??
        check.expect.setsCookie) === undefined,
    {
      message: 'a parallel check decides from statuses and times only: drop the body and cookie expectations',
    },
  );

export const SequenceRequestSchema = z
  .object({
    ...HttpRequestFields,
    /** Send the jar's cookie of this name with its signature changed, as a forger would. */
    tamperCookie: z.string().min(1).optional(),
  })
  .strict();

export const SequenceCheckSchema = z
  .object({
    /** Requests in order, sharing one cookie jar: each sends the cookies the earlier ones were given. */
    requests: z.array(SequenceRequestSchema).min(1).max(20),
  })
  .strict();

export const WebSocketCheckSchema = z
  .object({
    url: z.string().regex(/^wss?:\/\/[^\s/]+(\/\S*)?$/, 'a ws:// or wss:// URL'),
    /** `host:port:address`: connect to the address, sending the host as SNI and Host. */
    resolve: Resolve.optional(),
    insecure: z.boolean().default(false),
    /** The text message the grader sends once the connection is open. */
    send: z.string().min(1).max(4096).default('keiko says hello'),
    expect: z
      .object({
        /** The first message back is exactly what was sent. */
        echo: z.boolean().optional(),
        contains: z.string().optional(),
      })
      .strict()
      .default({ echo: true }),
  })
  .strict();

export const DNS_TYPES = ['A', 'AAAA', 'CAA', 'CNAME', 'MX', 'NS', 'SOA', 'TXT', 'SRV', 'PTR'] as const;

export const DnsCheckSchema = z
  .object({
    name: z.string().min(1),
    type: z.enum(DNS_TYPES),
    server: z.string().default('127.0.0.1'),
    port: z.number().int().min(1).max(65_535).default(53),
    expect: z
      .object({
        /** NOERROR, NXDOMAIN, SERVFAIL, REFUSED. */
        status: z.string().default('NOERROR'),
        /** The answer's records exactly, in dig's presentation form, compared as a set: `0 issue "letsencrypt.org"`. */
        answers: z.array(z.string().min(1)).optional(),
        /** Records that must be among the answers. */
        includes: z.array(z.string().min(1)).optional(),
        /** The answer comes from a server authoritative for the zone (the `aa` flag). */
        authoritative: z.boolean().optional(),
      })
      .strict()
      .default({ status: 'NOERROR' }),
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
    /** A regular expression the parent's command line must match: a daemon's parent is the sandbox's init. */
    parent: z.string().min(1).optional(),
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
  z.object({ ...named, sequence: SequenceCheckSchema }).strict(),
  z.object({ ...named, websocket: WebSocketCheckSchema }).strict(),
  z.object({ ...named, dns: DnsCheckSchema }).strict(),
  z.object({ ...named, tls: TlsCheckSchema }).strict(),
  z.object({ ...named, 'tls-grade': TlsGradeCheckSchema }).strict(),
  z.object({ ...named, command: CommandCheckSchema }).strict(),
  z.object({ ...named, file: FileCheckSchema }).strict(),
  z.object({ ...named, process: ProcessCheckSchema }).strict(),
  z.object({ ...named, port: PortCheckSchema }).strict(),
]);
export type Check = z.infer<typeof CheckSchema>;
export type HttpCheck = z.infer<typeof HttpCheckSchema>;
export type HttpExpect = z.infer<typeof HttpExpectSchema>;
export type SequenceCheck = z.infer<typeof SequenceCheckSchema>;
export type SequenceRequest = z.infer<typeof SequenceRequestSchema>;
export type WebSocketCheck = z.infer<typeof WebSocketCheckSchema>;
export type DnsCheck = z.infer<typeof DnsCheckSchema>;
export type TlsCheck = z.infer<typeof TlsCheckSchema>;
export type TlsGradeCheck = z.infer<typeof TlsGradeCheckSchema>;
export type CommandCheck = z.infer<typeof CommandCheckSchema>;
export type FileCheck = z.infer<typeof FileCheckSchema>;
export type ProcessCheck = z.infer<typeof ProcessCheckSchema>;
export type PortCheck = z.infer<typeof PortCheckSchema>;
