# Step 2: a self-signed certificate and its private key for the name example.test.
set -e
cd /home/learner/app
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 365 \
  -subj "/CN=example.test" -addext "subjectAltName=DNS:example.test" 2>/dev/null
