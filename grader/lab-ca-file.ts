/**
 * Where a session's lab CA certificate lives in the probe container (grader/lab-ca.ts puts it
 * there). The probe's filesystem is not the lab's, so the learner cannot replace what it trusts.
 */
export const LAB_CA_PROBE_DIR = '/tmp/keiko-lab-ca';
export const LAB_CA_PROBE_FILE = `${LAB_CA_PROBE_DIR}/ca.pem`;
