# Step 1: a self-signed certificate and its private key for the name bottle.test.
set -e
cd /home/learner/app
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 365 \
  -subj "/CN=bottle.test" -addext "subjectAltName=DNS:bottle.test" 2>/dev/null
