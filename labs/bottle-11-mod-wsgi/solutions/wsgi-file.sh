# Step 1: run() only when app.py is started as a script, and app.wsgi hands Bottle's default app to
# mod_wsgi as `application`.
set -e
cd /home/learner/app
sed -i "s/^run(host='0.0.0.0', port=8080)$/if __name__ == '__main__':\n    run(host='0.0.0.0', port=8080)/" app.py
grep -q "^if __name__ == '__main__':" app.py
cat > app.wsgi <<'PY'
# The entry point mod_wsgi loads: it looks for a WSGI callable named `application`.
import bottle

import app  # noqa: F401  (importing app.py registers its routes on Bottle's default app)

application = bottle.default_app()
PY
