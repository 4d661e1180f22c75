# Step 3: a systemd unit for the same app, Type=simple, running it in the foreground; no systemd runs
# in the sandbox, so it is only verified (systemd-analyze verify), never started.
set -e
cd /home/learner/app
cat > bottle-app.service <<'UNIT'
[Unit]
Description=Bottle app of lesson 8
After=network.target

[Service]
Type=simple
User=learner
WorkingDirectory=/home/learner/app
ExecStart=/usr/bin/python3 /home/learner/app/app.py foreground
Restart=on-failure

[Install]
WantedBy=multi-user.target
UNIT
