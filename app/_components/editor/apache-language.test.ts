import { StringStream } from '@codemirror/language';
import { describe, expect, it } from 'vitest';
import { apacheParser, type ApacheState } from './apache-language';

/** Each line's tokens as `[text, style]`, whitespace and unstyled words left out, as the editor would colour them. */
function tokenize(text: string): [string, string][][] {
  const state: ApacheState = apacheParser.startState!(2);
  return text.split('\n').map((line) => {
    if (!line.trim()) {
      apacheParser.blankLine!(state, 2);
      return [];
    }
    const stream = new StringStream(line, 4, 2);
    const tokens: [string, string][] = [];
    while (!stream.eol()) {
      stream.start = stream.pos;
      const style = apacheParser.token(stream, state);
      expect(stream.pos).toBeGreaterThan(stream.start); // never stuck
      if (style) tokens.push([stream.current(), style]);
    }
    return tokens;
  });
}

describe('apache tokenizer', () => {
  it('colours comments only where a directive could start', () => {
    expect(tokenize('# Global configuration\n  # indented\nServerName example.test # not a comment')).toEqual(
      [[['# Global configuration', 'comment']], [['# indented', 'comment']], [['ServerName', 'keyword']]],
    );
  });

  it('tells section tags, their arguments and their closing tag apart', () => {
    expect(tokenize('<VirtualHost *:443>\n  DocumentRoot /var/www/html\n</VirtualHost>')).toEqual([
      [
        ['<VirtualHost', 'tagName'],
        ['>', 'tagName'],
      ],
      [['DocumentRoot', 'keyword']],
      [
        ['</VirtualHost', 'tagName'],
        ['>', 'tagName'],
      ],
    ]);
    expect(tokenize('<IfModule mod_ssl.c>')).toEqual([
      [
        ['<IfModule', 'tagName'],
        ['>', 'tagName'],
      ],
    ]);
  });

  it('reads quoted strings with escapes, in both quotes', () => {
    expect(tokenize('LogFormat "%h \\"%r\\" %>s" combined\nHeader set X-Test \'a b\'')).toEqual([
      [
        ['LogFormat', 'keyword'],
        ['"%h \\"%r\\" %>s"', 'string'],
      ],
      [
        ['Header', 'keyword'],
        ["'a b'", 'string'],
      ],
    ]);
  });

  it('finds variables inside and between words, numbers and On/Off', () => {
    expect(
      tokenize(
        'ErrorLog ${APACHE_LOG_DIR}/error.log\nRewriteCond %{HTTPS} off\nListen 8443\nTimeout 300\nKeepAlive On',
      ),
    ).toEqual([
      [
        ['ErrorLog', 'keyword'],
        ['${APACHE_LOG_DIR}', 'variableName.special'],
      ],
      [
        ['RewriteCond', 'keyword'],
        ['%{HTTPS}', 'variableName.special'],
        ['off', 'atom'],
      ],
      [
        ['Listen', 'keyword'],
        ['8443', 'number'],
      ],
      [
        ['Timeout', 'keyword'],
        ['300', 'number'],
      ],
      [
        ['KeepAlive', 'keyword'],
        ['On', 'atom'],
      ],
    ]);
  });

  it('does not take digits inside a word or an address for a number', () => {
    expect(tokenize('Listen 127.0.0.1:8080\nLoadModule ssl_module mod_ssl2.so')).toEqual([
      [['Listen', 'keyword']],
      [['LoadModule', 'keyword']],
    ]);
  });

  it('a line continued by a backslash has no directive, even when it starts with #', () => {
    expect(tokenize('SSLCipherSuite HIGH:\\\n  #MEDIUM:!aNULL\nServerAdmin me@example.test')).toEqual([
      [
        ['SSLCipherSuite', 'keyword'],
        ['\\', 'escape'],
      ],
      [],
      [['ServerAdmin', 'keyword']],
    ]);
  });

  it('carries a quoted string over a continued line', () => {
    expect(tokenize('Header set X "a \\\nb" c\nServerName x')).toEqual([
      [
        ['Header', 'keyword'],
        ['"a ', 'string'],
        ['\\', 'escape'],
      ],
      [['b"', 'string']],
      [['ServerName', 'keyword']],
    ]);
  });

  it('starts afresh after a blank line', () => {
    expect(tokenize('<Directory /srv\n\nOptions None')).toEqual([
      [['<Directory', 'tagName']],
      [],
      [
        ['Options', 'keyword'],
        ['None', 'atom'],
      ],
    ]);
  });
});
