import { z } from 'zod';

/** A port of the lab as the panel lists it: declared in lab.yaml or typed by the learner. */
export const PortViewSchema = z.object({
  port: z.number().int().min(1).max(65_535),
  label: z.string().nullable(),
  tls: z.boolean(),
  servername: z.string().nullable(),
  declared: z.boolean(),
  /** Something listens on it now in the sandbox. */
  listening: z.boolean(),
});
export type PortView = z.infer<typeof PortViewSchema>;

/** `GET /api/sessions/{id}/ports`. */
export const PortListSchema = z.object({ ports: z.array(PortViewSchema) });

/** `POST /api/sessions/{id}/ports/{port}/open`: a signed link to the preview origin, or a TLS listener. */
export const OpenedPortSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('http'), port: z.number().int(), url: z.string(), origin: z.string() }),
  z.object({
    kind: z.literal('tls'),
    port: z.number().int(),
    url: z.string(),
    listenPort: z.number().int(),
    servername: z.string().nullable(),
  }),
]);
export type OpenedPort = z.infer<typeof OpenedPortSchema>;
