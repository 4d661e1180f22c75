// Hints were once generated from one template per check kind, so a step served by Apache, h2proxy,
// php-fpm or BIND told the learner to "start it again with `python3 app.py`", and a lab whose servers
// log to app.log and proxy.log sent the learner to server.log. The rules here: a command a hint gives
// the learner to start, reload or stop a server must be one its own lab really uses, in its reference
// solutions or in what its lesson has the learner type (<Run> and sh blocks); and a log file a hint
// points at must be one its lab's solutions or lesson name. Both are per lab: in a lab with two
// servers (Bottle behind Apache), a hint may rightly name either.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCourses, loadLabs, type LabDefinition } from './index';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * The programs that start, reload or stop a server, as a hint or a script names them. A Python
 * server is named by its file (`python3 app.py` and `python3 ws_echo.py` are different servers);
 * `named` and `h2proxy` only as a command word, not as `named-checkzone`, `named.pid` or `h2proxy.mjs`.
 */
const SERVER_COMMAND =
  /(?<![\w./-])(python3 (?:[\w./-]*\/)?[\w-]+\.py|apachectl|apache2ctl|httpd|h2proxy|php-fpm[\d.]*|named|rndc|systemctl|service|nginx|gunicorn|uwsgi)(?![\w.-])/g;

/** Each server command in a text, with a Python script reduced to `python3 <file>.py`. */
function serverCommands(text: string): string[] {
  return [...text.matchAll(SERVER_COMMAND)].map(([, command]) =>
    command!.startsWith('python3 ')
      ? `python3 ${path.basename(command!.slice('python3 '.length))}`
      : command!,
  );
}

/** What a hint tells the learner to run: its `code spans` (prose may name Apache or h2proxy freely). */
function hintCommands(hint: string): string[] {
  return [...hint.matchAll(/`([^`]+)`/g)].flatMap(([, code]) => serverCommands(code!));
}

/** Log files a text names (`server.log`, `/var/log/apache2/error.log`), not `console.log(`. */
const LOG_FILE = /(?<![\w./-])((?:\/?[\w.-]+\/)*[\w-]+\.log)(?![\w(-])/g;

function logFiles(text: string): string[] {
  return [...text.matchAll(LOG_FILE)].map(([, file]) => path.basename(file!));
}

/** Shell without its comments, so a comment's "a process group named …" is not a command. */
function withoutComments(shell: string): string {
  return shell
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n');
}

/** What the lesson has the learner type: its <Run> commands and its sh code blocks. */
function lessonCommands(mdx: string): string[] {
  const runs = [...mdx.matchAll(/<Run>([\s\S]*?)<\/Run>/g)].map(([, command]) => command!);
  const blocks = [...mdx.matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)].map(([, block]) => block!);
  return [...runs, ...blocks].flatMap((text) => serverCommands(withoutComments(text)));
}

/** Every server command the lab itself uses: in its reference solutions and in its lesson. */
function labServerCommands(lab: LabDefinition, lessonMdx: string[]): Set<string> {
  const solutions = lab.steps
    .flatMap((step) => (step.solution ? [path.join(lab.dir, step.solution)] : []))
    .map((file) => withoutComments(fs.readFileSync(file, 'utf8')));
  return new Set([...solutions.flatMap(serverCommands), ...lessonMdx.flatMap(lessonCommands)]);
}

/** Logs a server writes by itself, wherever the lab image's configuration puts them (Debian's). */
const SERVER_LOGS: Record<string, string[]> = {
  apachectl: ['error.log', 'access.log'],
  'php-fpm8.2': ['php8.2-fpm.log'],
};

/** Every log file the lab's solutions or lesson name, and those its servers write by themselves. */
function labLogFiles(lab: LabDefinition, lessonMdx: string[], servers: Set<string>): Set<string> {
  const solutions = lab.steps
    .flatMap((step) => (step.solution ? [path.join(lab.dir, step.solution)] : []))
    .map((file) => fs.readFileSync(file, 'utf8'));
  const own = [...servers].flatMap((command) => SERVER_LOGS[command] ?? []);
  return new Set([...solutions, ...lessonMdx].flatMap(logFiles).concat(own));
}

/** "lab/step: check [failure] points at X" for every hint naming a log file its lab never writes. */
function foreignLogFiles(lab: LabDefinition, known: Set<string>): string[] {
  return lab.steps.flatMap((step) =>
    step.checks.flatMap((check) =>
      Object.entries(check.hints ?? {}).flatMap(([failure, hint]) =>
        logFiles(hint)
          .filter((file) => !known.has(file))
          .map((file) => `${lab.id}/${step.id}: ${check.name ?? '(unnamed)'} [${failure}] points at ${file}`),
      ),
    ),
  );
}

/** "lab/step: check [failure] names X" for every hint naming a server command its lab never uses. */
function foreignServerCommands(lab: LabDefinition, used: Set<string>): string[] {
  return lab.steps.flatMap((step) =>
    step.checks.flatMap((check) =>
      Object.entries(check.hints ?? {}).flatMap(([failure, hint]) =>
        hintCommands(hint)
          .filter((command) => !used.has(command))
          .map(
            (command) => `${lab.id}/${step.id}: ${check.name ?? '(unnamed)'} [${failure}] names ${command}`,
          ),
      ),
    ),
  );
}

const labs = loadLabs(path.join(ROOT, 'labs'));
const lessons = loadCourses(path.join(ROOT, 'content')).flatMap((course) => course.lessons);
const lessonTexts = (lab: LabDefinition) =>
  lessons.filter((lesson) => lesson.lab === lab.id).map((lesson) => fs.readFileSync(lesson.file, 'utf8'));
const usedBy = new Map(labs.map((lab) => [lab.id, labServerCommands(lab, lessonTexts(lab))]));

const logsOf = new Map(labs.map((lab) => [lab.id, labLogFiles(lab, lessonTexts(lab), usedBy.get(lab.id)!)]));

describe('hints name the server commands of their own lab', () => {
  it('finds each program as a command word only: python3 by its file, named not in named-checkzone', () => {
    expect(serverCommands('pkill -f "python3 app.py"; python3 /home/learner/app/app.py &')).toEqual([
      'python3 app.py',
      'python3 app.py',
    ]);
    expect(serverCommands('named-checkzone example.test db && kill -HUP $(cat named.pid)')).toEqual([]);
    expect(serverCommands('named -g -c named.conf; apachectl -t && apachectl graceful')).toEqual([
      'named',
      'apachectl',
      'apachectl',
    ]);
    expect(serverCommands('timeout 5 python3 -c "import app"; a2enmod ssl; pgrep -l apache2')).toEqual([]);
  });

  it('knows what each lab that runs a server starts it with, from its solutions and lesson', () => {
    expect([...usedBy.get('bottle-09-json')!]).toEqual(['python3 app.py']);
    expect(usedBy.get('bottle-11-mod-wsgi')).toEqual(new Set(['apachectl']));
    expect(usedBy.get('bottle-13-h2proxy')).toEqual(
      new Set(['python3 app.py', 'h2proxy', 'python3 ws_echo.py']),
    );
    expect(usedBy.get('dns-15-caa')).toEqual(new Set(['named']));
    for (const id of ['apache-14-http2-fpm', 'tls-16-grade']) expect(usedBy.get(id)).toContain('apachectl');
    // The template's hint on Apache's lab is exactly what the rule exists to refuse.
    const template = 'start it again in the background, `python3 app.py > server.log 2>&1 &`.';
    const apacheLab = labs.find((lab) => lab.id === 'bottle-11-mod-wsgi')!;
    const withTemplate: LabDefinition = {
      ...apacheLab,
      steps: [
        {
          ...apacheLab.steps[0]!,
          checks: [{ ...apacheLab.steps[0]!.checks[0]!, hints: { refused: template } }],
        },
      ],
    };
    expect(foreignServerCommands(withTemplate, usedBy.get('bottle-11-mod-wsgi')!)).toEqual([
      expect.stringContaining('[refused] names python3 app.py'),
    ]);
  });

  it('no hint tells the learner to start, reload or stop a server with a command its lab never uses (python3 app.py where Apache, php-fpm, BIND or h2proxy serve; systemctl, which no sandbox has)', () => {
    const problems = labs.flatMap((lab) => foreignServerCommands(lab, usedBy.get(lab.id)!));
    expect(problems).toEqual([]);
    // Not vacuous: the hints of these labs do name their own server's commands, and were checked.
    const named = labs.flatMap((lab) =>
      lab.steps.flatMap((step) =>
        step.checks.flatMap((check) => Object.values(check.hints ?? {}).flatMap(hintCommands)),
      ),
    );
    for (const command of ['python3 app.py', 'apachectl', 'h2proxy', 'php-fpm8.2', 'named'])
      expect(named, command).toContain(command);
  });

  it('no hint points the learner at a log file its lab never writes (server.log where the servers log to app.log, proxy.log or named.log)', () => {
    expect(logFiles('`tail server.log`, then /var/log/apache2/error.log; console.log(x)')).toEqual([
      'server.log',
      'error.log',
    ]);
    expect(logsOf.get('bottle-13-h2proxy')).toEqual(new Set(['app.log', 'proxy.log', 'plain.log', 'ws.log']));
    const problems = labs.flatMap((lab) => foreignLogFiles(lab, logsOf.get(lab.id)!));
    expect(problems).toEqual([]);
  });
});
