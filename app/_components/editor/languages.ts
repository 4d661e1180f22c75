import { python } from '@codemirror/lang-python';
import { yaml } from '@codemirror/lang-yaml';
import { StreamLanguage } from '@codemirror/language';
import { shell } from '@codemirror/legacy-modes/mode/shell';
import type { Extension } from '@codemirror/state';
import { apache } from './apache-language';

export interface EditorLanguage {
  /** Shown beside the file name. */
  name: string;
  extension: () => Extension;
  /** What Tab and a new block indent by: PEP 8's four spaces for Python, two for YAML. */
  indent: string;
  /** Saving a file of this language runs the sandbox's configuration test (`apachectl -t`). */
  configTest?: boolean;
}

const shellLanguage = StreamLanguage.define(shell);

const PYTHON: EditorLanguage = { name: 'Python', extension: () => python(), indent: '    ' };
const SHELL: EditorLanguage = { name: 'Shell', extension: () => shellLanguage, indent: '    ' };
const YAML: EditorLanguage = { name: 'YAML', extension: () => yaml(), indent: '  ' };
const APACHE: EditorLanguage = {
  name: 'Apache config',
  extension: () => apache,
  indent: '    ',
  configTest: true,
};

const SHELL_FILES = new Set([
  '.bashrc',
  '.bash_profile',
  '.bash_login',
  '.bash_logout',
  '.bash_aliases',
  '.profile',
]);
const APACHE_FILES = new Set(['apache2.conf', 'httpd.conf', '.htaccess']);

/** The language of a file by its name (and, for Apache's, its folder); null for plain text. */
export function languageFor(filePath: string): EditorLanguage | null {
  const name = filePath.slice(filePath.lastIndexOf('/') + 1);
  if (/\.pyw?$/.test(name)) return PYTHON;
  if (/\.(sh|bash)$/.test(name) || SHELL_FILES.has(name)) return SHELL;
  if (/\.ya?ml$/.test(name)) return YAML;
  if (filePath === '/etc/apache2/envvars') return SHELL; // sourced by apache2ctl: it is shell
  if (
    APACHE_FILES.has(name) ||
    // Debian's layout: every file of sites-*/ is a site, whatever its name; elsewhere .conf files.
    /\/sites-(available|enabled)\/[^/]+$/.test(filePath) ||
    (filePath.startsWith('/etc/apache2/') && /\.(conf|load)$/.test(name))
  ) {
    return APACHE;
  }
  return null;
}
