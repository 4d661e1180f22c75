import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { LabWorkbench } from '@/app/_components/lab/lab-workbench';
import { labForPage } from '@/app/_lib/sessions.server';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ labId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: (await labForPage((await params).labId))?.title ?? 'Lab' };
}

export default async function LabPage({ params }: Props) {
  const lab = await labForPage((await params).labId);
  if (!lab) notFound();
  return (
    <article className="lab-page">
      <h1>{lab.title}</h1>
      <LabWorkbench lab={lab} />
    </article>
  );
}
