import { parseArgs } from 'node:util';
import { ContentError } from '@/course';
import { EnvError } from '@/platform';
import { SandboxError } from '@/sandbox';
import { StoreError } from '@/store';
import { buildLessons, lint, newLesson } from './commands/content';
import { doctor } from './commands/doctor';
import { grade, testLabs } from './commands/grade';
import { buildImages } from './commands/images';
import { serve } from './commands/serve';
import { listSessions, stopAllSessions } from './commands/sessions';
import { CliError } from './errors';

const USAGE = `usage: keiko <command>

  doctor [--json]                      check Node, the Docker engine, images and the store
  images build [--lab ID] [--image NAME] [--force] [--json]
                                       build the base and lab images (only what changed)
  serve [--dev]                        serve the platform on KEIKO_PORT (default 3000)
  grade LAB [--solve] [--json]         fresh sandbox, optionally every solution, grade every step
  test-labs [LAB…]                     prove each lab's checks fail before and pass after its solutions
  lint [--content DIR] [--labs DIR] [--json]
                                       every problem in lessons and labs as file:line:col message
  new lesson COURSE SLUG               scaffold a lesson, its lab and its place in the course
  lessons build                        compile every lesson's MDX into the server's cache
  sessions list [--json]               the live lab sessions of this data directory
  sessions stop --all                  end them all and remove every orphaned sandbox
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'doctor': {
      const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean', default: false } } });
      return doctor({ json: values.json });
    }
    case 'images': {
      const [sub, ...flags] = rest;
      if (sub !== 'build') throw new CliError(`unknown images command "${sub ?? ''}"\n\n${USAGE}`, 2);
      const { values } = parseArgs({
        args: flags,
        options: {
          image: { type: 'string', multiple: true, default: [] },
          lab: { type: 'string', multiple: true, default: [] },
          force: { type: 'boolean', default: false },
          json: { type: 'boolean', default: false },
        },
      });
      return buildImages({ images: values.image, labs: values.lab, force: values.force, json: values.json });
    }
    case 'serve': {
      const { values } = parseArgs({ args: rest, options: { dev: { type: 'boolean', default: false } } });
      return serve({ dev: values.dev });
    }
    case 'grade': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { solve: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
      });
      if (positionals.length !== 1)
        throw new CliError(`usage: keiko grade LAB [--solve] [--json]\n\n${USAGE}`, 2);
      return grade(positionals[0]!, { solve: values.solve, json: values.json });
    }
    case 'test-labs': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true, options: {} });
      return testLabs(positionals);
    }
    case 'lint': {
      const { values } = parseArgs({
        args: rest,
        options: {
          content: { type: 'string' },
          labs: { type: 'string' },
          json: { type: 'boolean', default: false },
        },
      });
      return lint({ content: values.content, labs: values.labs, json: values.json });
    }
    case 'lessons': {
      if (rest[0] !== 'build' || rest.length !== 1)
        throw new CliError(`usage: keiko lessons build\n\n${USAGE}`, 2);
      return buildLessons();
    }
    case 'new': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { content: { type: 'string' }, labs: { type: 'string' } },
      });
      if (positionals[0] !== 'lesson' || positionals.length !== 3)
        throw new CliError(`usage: keiko new lesson COURSE SLUG\n\n${USAGE}`, 2);
      return newLesson(positionals[1]!, positionals[2]!, { content: values.content, labs: values.labs });
    }
    case 'sessions': {
      const [sub, ...flags] = rest;
      const { values } = parseArgs({
        args: flags,
        options: { json: { type: 'boolean', default: false }, all: { type: 'boolean', default: false } },
      });
      if (sub === 'list') return listSessions({ json: values.json });
      if (sub === 'stop' && values.all) return stopAllSessions();
      throw new CliError(`usage: keiko sessions list [--json] | keiko sessions stop --all\n\n${USAGE}`, 2);
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new CliError(`unknown command "${command}"\n\n${USAGE}`, 2);
  }
}

/** Errors the user can act on are one clear sentence; anything else is a bug and keeps its stack. */
function report(error: unknown): number {
  if (error instanceof CliError) {
    console.error(`keiko: ${error.message}`);
    return error.exitCode;
  }
  if (
    error instanceof EnvError ||
    error instanceof StoreError ||
    error instanceof SandboxError ||
    error instanceof ContentError
  ) {
    console.error(`keiko: ${error.message}`);
    return 1;
  }
  if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    console.error(`keiko: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  console.error(`keiko: unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
  console.error(error instanceof Error ? error.stack : '');
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => process.exit(report(error)),
);
