import type { Metadata } from 'next';
import { getHealth } from '@/app/_lib/platform.server';

export const metadata: Metadata = { title: 'Status' };
export const dynamic = 'force-dynamic';

export default async function StatusPage() {
  const health = await getHealth();
  return (
    <section>
      <h1>Platform status</h1>
      <p data-testid="overall" className={health.ok ? 'ok' : 'fail'}>
        {health.ok ? 'Ready: labs can start.' : 'Not ready: labs cannot start yet.'}
      </p>
      <table className="status-table">
        <tbody>
          <tr>
            <th scope="row">Node</th>
            <td>{health.node.version}</td>
          </tr>
          <tr>
            <th scope="row">Docker engine</th>
            <td>{health.docker.reachable ? health.docker.version : 'not reachable'}</td>
          </tr>
          {health.images.map((image) => (
            <tr key={image.name}>
              <th scope="row">{image.name}</th>
              <td>{image.built ? (image.current ? 'built' : 'built, out of date') : 'not built'}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">Store</th>
            <td>{health.store.ok ? `writable, schema ${health.store.schemaVersion}` : 'not writable'}</td>
          </tr>
        </tbody>
      </table>
      {health.problems.length > 0 && (
        <ul className="problems">
          {health.problems.map((problem) => (
            <li key={problem.what}>
              {problem.what}: run <code>{problem.fix}</code>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
