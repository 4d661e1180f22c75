# Step 2: TLS 1.2 only, and only forward-secret AEAD suites (the default security level again).
set -e
cd /home/learner/app
sed -i 's/^\( *\)SSLProtocol .*/\1SSLProtocol -all +TLSv1.2/' example-tls.conf
sed -i 's/^\( *\)SSLCipherSuite .*/\1SSLCipherSuite ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305/' example-tls.conf
apachectl configtest 2>/dev/null
apachectl graceful 2>/dev/null
sleep 1
