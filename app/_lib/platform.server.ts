import 'server-only';
import { currentPlatform, healthReport, type Health } from '@/platform';

/** The one door from app/ into Keiko's libraries: route handlers and pages call these, nothing deeper. */
export function getHealth(): Promise<Health> {
  return healthReport(currentPlatform());
}

/** Development server: pages reload themselves when content changes. */
export function isDevelopment(): boolean {
  return currentPlatform().env.NODE_ENV === 'development';
}
