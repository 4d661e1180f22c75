# Step 3: TLS 1.3 beside TLS 1.2.
set -e
cd /home/learner/app
sed -i 's/^\( *\)SSLProtocol .*/\1SSLProtocol -all +TLSv1.2 +TLSv1.3/' example-tls.conf
apachectl configtest 2>/dev/null
apachectl graceful 2>/dev/null
sleep 1
