import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { LabWorkbench } from '@/app/_components/lab/lab-workbench';
import { labTitle } from '@/app/_lib/sessions.server';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ labId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: labTitle((await params).labId) ?? 'Lab' };
}

export default async function LabPage({ params }: Props) {
  const { labId } = await params;
  const title = labTitle(labId);
  if (!title) notFound();
  return (
    <article className="lab-page">
      <h1>{title}</h1>
      <LabWorkbench labId={labId} />
    </article>
  );
}
