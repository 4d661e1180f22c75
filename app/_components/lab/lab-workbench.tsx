'use client';

import type { StepView } from '@/contract';
import { LabProvider } from '../lesson/lab-context';
import { LabPanel } from '../lesson/lab-panel';

/** The lab alone (no lesson beside it): started as soon as the page opens. */
export function LabWorkbench({
  lab,
}: {
  lab: { id: string; title: string; steps: StepView[]; defaultFile?: string };
}) {
  return (
    <LabProvider lab={lab} autoStart>
      <LabPanel />
    </LabProvider>
  );
}
