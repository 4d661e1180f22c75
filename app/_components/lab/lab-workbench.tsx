'use client';

import { LabProvider, type StepInfo } from '../lesson/lab-context';
import { LabPanel } from '../lesson/lab-panel';

/** The lab alone (no lesson beside it): started as soon as the page opens. */
export function LabWorkbench({
  lab,
}: {
  lab: { id: string; title: string; steps: StepInfo[]; defaultFile?: string };
}) {
  return (
    <LabProvider lab={lab} autoStart>
      <LabPanel />
    </LabProvider>
  );
}
