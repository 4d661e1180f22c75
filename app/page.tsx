export default function HomePage() {
  return (
    <section className="hero">
      <h1>Learn by doing, in a real Linux beside every lesson.</h1>
      <p>
        Read a lesson, open a sandbox next to it, type into a real terminal, and have each step checked by
        tools that speak the protocol: <code>curl --http2</code>, <code>openssl s_client</code>, a TLS grade.
      </p>
      <p className="muted">The first course, Bottle from run() to HTTP/2 over TLS, is being written.</p>
    </section>
  );
}
