import { StreamLanguage, type StreamParser, type StringStream } from '@codemirror/language';

/**
 * Apache httpd configuration (apache2.conf, sites-available/*, .htaccess) as a CodeMirror stream
 * language, following how httpd itself reads it (server/config.c, ap_getword_conf):
 * - a line is `Directive arguments…` or `<Section arguments>` / `</Section>`;
 * - `#` starts a comment only where a directive could start: after a directive it is an argument;
 * - a backslash at the very end of a line joins the next line to it, so that line has no directive;
 * - arguments may be quoted with " or ', and name variables as `${VAR}` (Define) or `%{VAR}`
 *   (mod_rewrite, expressions).
 * Only highlighting: a mistake is httpd's to report (`apachectl configtest`).
 */
export interface ApacheState {
  /** The next word is a directive name (the start of a line that does not continue another). */
  atDirective: boolean;
  /** Inside `<Section …` until its `>`. */
  inSection: boolean;
  /** The quote of a string that a trailing backslash carried over to the next line. */
  inString: '"' | "'" | null;
  /** This line ended with a backslash: the next one continues it. */
  continues: boolean;
}

const WORD_END = /[\s"']/;

function isContinuation(stream: StringStream): boolean {
  return stream.peek() === '\\' && stream.pos === stream.string.length - 1;
}

/** The rest of a quoted string, from after its opening quote; it may end on a later line. */
function readString(stream: StringStream, state: ApacheState, quote: '"' | "'"): string {
  while (!stream.eol()) {
    if (isContinuation(stream)) {
      state.inString = quote;
      return 'string';
    }
    const ch = stream.next();
    if (ch === '\\') stream.next();
    else if (ch === quote) {
      state.inString = null;
      return 'string';
    }
  }
  state.inString = null; // httpd ends an unterminated quote at the end of the line
  return 'string';
}

export const apacheParser: StreamParser<ApacheState> = {
  name: 'apache',
  startState: () => ({ atDirective: true, inSection: false, inString: null, continues: false }),
  copyState: (state) => ({ ...state }),
  blankLine(state) {
    state.atDirective = true;
    state.inSection = false;
    state.inString = null;
    state.continues = false;
  },
  token(stream, state) {
    if (stream.sol()) {
      state.atDirective = !state.continues;
      if (!state.continues) {
        state.inSection = false;
        state.inString = null;
      }
      state.continues = false;
    }
    if (isContinuation(stream)) {
      stream.next();
      state.continues = true;
      return 'escape';
    }
    if (state.inString) return readString(stream, state, state.inString);
    if (stream.eatSpace()) return null;
    if (state.atDirective) {
      state.atDirective = false;
      if (stream.peek() === '#') {
        stream.skipToEnd();
        return 'comment';
      }
      if (stream.match(/^<\/?[A-Za-z_][\w:.-]*/)) {
        state.inSection = true;
        return 'tagName';
      }
      if (stream.match(/^[A-Za-z_][\w:.-]*/)) return 'keyword';
    }
    if (state.inSection && stream.eat('>')) {
      state.inSection = false;
      return 'tagName';
    }
    const ch = stream.peek();
    if (ch === '"' || ch === "'") {
      stream.next();
      return readString(stream, state, ch);
    }
    if (stream.match(/^[$%]\{[^}\s]*\}?/)) return 'variableName.special';
    if (stream.match(/^[+-]?\d+(?:\.\d+)?(?=$|[\s>,;\]])/)) return 'number';
    if (stream.match(/^(?:on|off|none|all)(?=$|[\s>])/i)) return 'atom';
    // Any other argument: up to a space, a quote, a variable, the end of a section tag or a continuation.
    stream.next();
    while (!stream.eol()) {
      const next = stream.peek()!;
      if (WORD_END.test(next) || (state.inSection && next === '>') || isContinuation(stream)) break;
      if ((next === '$' || next === '%') && stream.string.charAt(stream.pos + 1) === '{') break;
      stream.next();
    }
    return null;
  },
  languageData: { commentTokens: { line: '#' } },
};

export const apache = StreamLanguage.define(apacheParser);
