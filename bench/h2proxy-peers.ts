/**
 * The three TLS HTTP/2 reverse proxies the h2proxy benchmark loads the same way, each in front of the
 * same Bottle app on cheroot, each with the same number of worker processes (BENCH_H2PROXY_WORKERS,
 * default one per CPU of the sandbox) and no access log; h2proxy and nghttpx open up to 16
 * connections per worker to the backend (nginx has no such limit that queues rather than fails
 * requests). They run as the learner in a sandbox of the h2bench image; h2proxy is the working
 * tree's bundle (copied in as BENCH_DIR/h2proxy.mjs), not the one the image was built with.
 */
export const BENCH_DIR = '/home/learner/bench';
export const SERVER_NAME = 'example.test';
export const BACKEND_PORT = 8080;

export interface Peer {
  name: 'h2proxy' | 'nginx' | 'nghttpx';
  port: number;
  /** The foreground command; its process and children are the proxy measured. */
  command: string;
}

export const PEERS = (workers: number): Peer[] => [
  {
    name: 'h2proxy',
    port: 8443,
    command:
      `env H2PROXY_WORKERS=${workers} node ${BENCH_DIR}/h2proxy.mjs -b 127.0.0.1 -p 8443 ` +
      `-s ${SERVER_NAME}:${BENCH_DIR}/cert.pem:${BENCH_DIR}/key.pem ` +
      `--rev 127.0.0.1:${BACKEND_PORT} --loglevel warn`,
  },
  {
    name: 'nginx',
    port: 8444,
    command: `nginx -p ${BENCH_DIR}/nginx/ -c ${BENCH_DIR}/nginx.conf -e ${BENCH_DIR}/nginx/error.log`,
  },
  {
    name: 'nghttpx',
    port: 8445,
    // nghttpx allows 8 backend connections per host by default: 16, as h2proxy.
    command:
      `nghttpx --conf=/dev/null --frontend=127.0.0.1,8445 --backend=127.0.0.1,${BACKEND_PORT} --workers=${workers} ` +
      `--backend-connections-per-host=16 --no-ocsp --add-x-forwarded-for ` +
      `--errorlog-file=${BENCH_DIR}/nghttpx.log --log-level=WARN ${BENCH_DIR}/key.pem ${BENCH_DIR}/cert.pem`,
  },
];

/** nginx as an unprivileged user: every path under the bench folder, in the foreground. */
export const NGINX_CONF = (workers: number) => `daemon off;
worker_processes ${workers};
pid ${BENCH_DIR}/nginx/nginx.pid;
error_log ${BENCH_DIR}/nginx/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  # nginx closes a client connection after 1,000 requests by default, and h2load does not reconnect.
  keepalive_requests 1000000;
  client_body_temp_path ${BENCH_DIR}/nginx/body;
  proxy_temp_path ${BENCH_DIR}/nginx/proxy;
  fastcgi_temp_path ${BENCH_DIR}/nginx/fastcgi;
  uwsgi_temp_path ${BENCH_DIR}/nginx/uwsgi;
  scgi_temp_path ${BENCH_DIR}/nginx/scgi;
  upstream bottle {
    server 127.0.0.1:${BACKEND_PORT};
    keepalive 64;
  }
  server {
    listen 127.0.0.1:8444 ssl http2;
    server_name ${SERVER_NAME};
    ssl_certificate ${BENCH_DIR}/cert.pem;
    ssl_certificate_key ${BENCH_DIR}/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / {
      proxy_pass http://bottle;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto https;
      proxy_set_header X-Forwarded-Host $http_host;
    }
  }
}
`;

/**
 * The backend: Bottle on cheroot's thread pool, a short text answer. cheroot keeps only 10 idle
 * keep-alive connections and a listen backlog of 5 by default, which makes any proxy that opens more
 * connections than that churn them (and lose SYNs to 1 s retransmits): raised for all three alike.
 */
export const BACKEND_APP = `import cheroot.server
from bottle import route, run

cheroot.server.HTTPServer.keep_alive_conn_limit = 256

@route('/hello')
def hello():
    return 'Hello World!'

run(server='cheroot', host='127.0.0.1', port=${BACKEND_PORT}, quiet=True, numthreads=16, request_queue_size=256)
`;
