# Step 2: a self-signed certificate and its key for bottle.test, in the learner's home.
set -e
cd /home/learner
openssl req -x509 -newkey rsa:2048 -nodes -keyout bottle.key -out bottle.crt -days 365 \
  -subj "/CN=bottle.test" -addext "subjectAltName=DNS:bottle.test" 2>/dev/null
