import { createPlatform } from '@/platform';
const cmds = process.argv.slice(2);
const lab = process.env.LAB ?? 'tls-16-grade';
const platform = createPlatform({ rootDir: process.cwd() });
const { session } = await platform.labSessions.startOrResume(lab, `h17-learner-${Date.now()}`);
try {
  for (const command of cmds) {
    if (command.startsWith('CHECK ')) {
      const r = await platform.labSessions.checkStep(platform.sessions.get(session.id)!, command.slice(6));
      console.log(`### CHECK ${r.stepId} passed=${r.passed}`);
      for (const c of r.checks) console.log(`  ${c.passed} ${c.message}`);
      continue;
    }
    const r = await platform.sessions.exec(session.id, { argv: ['bash', '-lc', `cd ${process.env.WD ?? '/home/learner/app'} && ${command}`], timeoutMs: 60000 });
    console.log(`$ ${command}\n${r.stdout}${r.stderr}(exit ${r.exitCode})`);
  }
} finally {
  await platform.sessions.stop(session.id, 'done');
  process.exit(0);
}
