import type { TlsGradeCheck } from '@/course';
import type { CheckResult } from '../result';
import type { CheckContext } from '../sandbox-port';

/** The SSL Labs-method grade of a TLS server (being written: see grader/tls-grade/). */
export async function runTlsGradeCheck(
  check: TlsGradeCheck,
  name: string,
  _context: CheckContext,
): Promise<CheckResult> {
  return {
    name,
    passed: false,
    message: `${name}: TLS grading is not available yet.`,
    command: `testssl.sh ${check.servername ?? check.host}:${check.port}`,
    evidence: '',
  };
}
